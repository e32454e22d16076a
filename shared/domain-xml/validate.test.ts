// Edited XML must still satisfy libvirt's own schema: run virt-xml-validate (libvirt-clients +
// xmllint) on every corpus file that validates as given, before and after representative edits.

import { hasVirsh } from '../test-support/virsh';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { type DomainEdit, type DomainView, applyEdits, readDomain } from './index';
import { RHEL7_LSI, RHEL9_Q35 } from './test-support';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/domains/', import.meta.url));

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['virt-xml-validate', 'xmllint'].filter((c) => !has(c));
if (missing.length) console.log(`skipping libvirt schema validation: ${missing.join(' and ')} not installed (apt-get install libvirt-clients libxml2-utils)`);

const dir = missing.length ? '' : mkdtempSync(join(tmpdir(), 'domain-xml-validate-'));
let seq = 0;
function validate(xml: string): { ok: boolean; output: string } {
  const file = join(dir, `d${seq++}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync('virt-xml-validate', [file, 'domain'], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

const sources: [string, string][] = [
  ...readdirSync(CORPUS).filter((f) => f.endsWith('.xml')).sort().map((f): [string, string] => [f, readFileSync(CORPUS + f, 'utf8')]),
  ['fixture RHEL9_Q35', RHEL9_Q35],
  ['fixture RHEL7_LSI', RHEL7_LSI],
];
const valid = missing.length ? [] : sources.filter(([, xml]) => validate(xml).ok);

/** The edits the brief names: first SATA/IDE disk to SCSI, NIC to virtio, virtio balloon, host CPU. */
function headlineEdits(v: DomainView): DomainEdit[] {
  const edits: DomainEdit[] = [];
  const disk = v.disks.find((d) => (d.bus === 'sata' || d.bus === 'ide') && d.target);
  if (disk) edits.push({ kind: 'set-disk-bus', target: disk.target!, bus: 'scsi' });
  if (v.interfaces.length) edits.push({ kind: 'set-nic-model', index: 0, model: 'virtio' });
  edits.push({ kind: 'set-memballoon-model', model: 'virtio' });
  edits.push({ kind: 'set-memballoon-stats-period', periodS: 5 });
  edits.push({ kind: 'set-cpu-mode', mode: 'host-passthrough' });
  return edits;
}

/** Every other edit kind that applies to this domain, all at once. */
function broadEdits(v: DomainView): DomainEdit[] {
  const edits: DomainEdit[] = [
    { kind: 'set-title', title: 'Validated by VirtDeck' },
    { kind: 'set-description', description: 'Edited\nby the domain-xml tests & checked <against> the schema' },
    { kind: 'set-memory', currentKiB: 1048576, maxKiB: 2097152 },
    { kind: 'set-boot-menu', enabled: true, timeoutMs: 3000 },
    { kind: 'add-rng' },
    { kind: 'set-watchdog', watchdog: { model: 'i6300esb', action: 'reset' } },
    { kind: 'add-controller', type: 'virtio-serial' },
    { kind: 'add-device', xml: '<input type="tablet" bus="usb"/>' },
  ];
  if (!v.cpu?.topology) edits.push({ kind: 'set-vcpus', current: 1, max: 4 }, { kind: 'set-cpu-topology', topology: { sockets: 1, cores: 2, threads: 2 } });
  if (!v.channels.some((c) => c.targetName === 'org.qemu.guest_agent.0')) edits.push({ kind: 'add-guest-agent-channel' });
  const disk = v.disks.find((d) => d.device === 'disk' && d.target);
  if (disk) {
    edits.push(
      { kind: 'set-disk-driver', target: disk.target!, cache: 'none', io: 'native', discard: 'unmap', detect_zeroes: 'unmap' },
      { kind: 'set-disk-flags', target: disk.target!, serial: 'VD-0001', shareable: true },
    );
  }
  const cdrom = v.disks.find((d) => d.device === 'cdrom' && d.target);
  if (cdrom) edits.push({ kind: 'change-media', target: cdrom.target!, source: { file: '/isos/new.iso' } });
  if (disk || v.interfaces.length) {
    edits.push({
      kind: 'set-boot-order',
      devices: [
        ...(disk ? [{ type: 'disk' as const, target: disk.target! }] : []),
        ...(v.interfaces.length ? [{ type: 'interface' as const, index: 0 }] : []),
      ],
    });
  }
  if (v.interfaces.length) {
    edits.push(
      { kind: 'set-nic-source', index: 0, source: { type: 'bridge', bridge: 'br0' } },
      { kind: 'set-nic-mac', index: 0, mac: '52:54:00:de:ad:01' },
      { kind: 'set-nic-link', index: 0, state: 'down' },
    );
  }
  const g = v.graphics.findIndex((x) => x.type === 'vnc' || x.type === 'spice');
  if (g >= 0) edits.push({ kind: 'set-graphics', index: g, listen: '127.0.0.1', passwd: 'secret', port: 5910 });
  if (v.videos.length) edits.push({ kind: 'set-video-model', index: 0, model: 'virtio' });
  if (v.serials.length) edits.push({ kind: 'remove-device', device: 'serial', index: v.serials.length - 1 });
  return edits;
}

/** Disks onto virtio (and CD-ROMs onto sata): the other common bus move. */
function virtioEdits(v: DomainView): DomainEdit[] {
  const edits: DomainEdit[] = [];
  for (const d of v.disks) {
    if (!d.target || d.bus === 'virtio' || d.bus === 'fdc' || d.device === 'lun') continue;
    const q35 = /q35/.test(v.os.machine ?? '');
    if (d.device === 'cdrom') edits.push({ kind: 'set-disk-bus', target: d.target, bus: q35 || d.bus === 'scsi' ? 'sata' : 'scsi' });
    else edits.push({ kind: 'set-disk-bus', target: d.target, bus: 'virtio' });
  }
  return edits;
}

/** Every device the Add hardware menu adds, and the input/console/NUMA edits. */
function addedDevices(v: DomainView): DomainEdit[] {
  const edits: DomainEdit[] = [
    { kind: 'add-disk', bus: 'virtio', source: { pool: 'default', volume: 'new.qcow2' } },
    { kind: 'add-disk', bus: 'scsi', source: { file: '/var/lib/libvirt/images/new.img' }, format: 'raw' },
    { kind: 'add-disk', device: 'cdrom', bus: 'sata', source: null },
    { kind: 'add-nic', source: { type: 'network', network: 'default' } },
    { kind: 'add-input', type: 'keyboard', bus: 'virtio' },
  ];
  if (v.serials.length < 4) edits.push({ kind: 'add-serial' });
  if (!v.graphics.some((g) => g.type === 'vnc')) edits.push({ kind: 'add-graphics', type: 'vnc' });
  const usb = v.inputs.findIndex((i) => i.bus === 'usb');
  if (usb >= 0) edits.push({ kind: 'set-input', index: usb, type: 'tablet', bus: 'virtio' });
  if (v.consoles.length) edits.push({ kind: 'set-console-target', index: v.consoles.length - 1, targetType: 'virtio' });
  const sockets = v.cpu?.topology?.sockets ?? 1;
  if ((v.vcpus.max ?? 1) >= 2 && !v.cpu?.numaCells && (!v.cpu?.topology || sockets % 2 === 0) && (v.memory.maxKiB ?? 0) >= 4096) {
    edits.push({ kind: 'set-guest-numa', cells: 2 });
  }
  return edits;
}

const results: string[] = [];

describe.skipIf(missing.length > 0)('libvirt schema (virt-xml-validate)', () => {
  afterAll(() => {
    console.log(`virt-xml-validate: ${valid.length}/${sources.length} inputs validate as given ` +
      `(${valid.filter(([n]) => !n.startsWith('fixture')).length}/${sources.length - 2} corpus files)\n${results.join('\n')}`);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('at least the libvirt-dumped corpus files validate as given', () => {
    expect(valid.map(([n]) => n)).toEqual(expect.arrayContaining([
      'bootorder-in.xml', 'controller-attached-devices.xml', 'convert-to-q35-win10-in.xml', 'disk-change-bus-in.xml',
      'change-xmlns-qemu-in.xml', 'fixture RHEL9_Q35', 'fixture RHEL7_LSI',
    ]));
  });

  const sets: [string, (v: DomainView) => DomainEdit[]][] = [
    ['headline edits', headlineEdits],
    ['every other edit kind', broadEdits],
    ['disks to virtio', virtioEdits],
    ['added devices', addedDevices],
  ];
  for (const [setName, make] of sets) {
    test.each(valid.map(([name, xml]) => ({ name, xml })))(`${setName}: $name still validates`, ({ name, xml }) => {
      const edits = make(readDomain(xml));
      const out = applyEdits(xml, edits);
      const r = validate(out);
      results.push(`${r.ok ? 'ok  ' : 'FAIL'} ${setName.padEnd(22)} ${name} (${edits.map((e) => e.kind).join(', ') || 'no applicable edits'})`);
      expect(r.ok, `${name} after ${JSON.stringify(edits)}:\n${r.output}\n${out}`).toBe(true);
    });
  }
});

// libvirt's own parser and post-parse checks (duplicate drive addresses, a SCSI disk on a host
// device's unit, duplicate targets, boot orders…), which the schema cannot see: `virsh -c
// test:///default define` (a driver inside virsh itself: nothing is defined anywhere) on every
// corpus domain and real-world fixture it accepts as given, after the same edits and after every
// disk moved to SCSI.
if (!hasVirsh) console.log('skipping libvirt define checks: virsh not installed (apt-get install libvirt-clients)');
const defineDir = hasVirsh ? mkdtempSync(join(tmpdir(), 'domain-xml-define-')) : '';
function define(xml: string): { ok: boolean; output: string } {
  const file = join(defineDir, `d${seq++}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync('virsh', ['-q', '-c', 'test:///default', 'define', file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const defineSources: [string, string][] = hasVirsh
  ? [
      ...sources,
      ...['real-world', 'lab-pairs'].flatMap((d) =>
        readdirSync(FIXTURES + d).filter((f) => f.endsWith('-inactive.xml') || /inactive/.test(f)).sort().map((f): [string, string] => [`${d}/${f}`, readFileSync(`${FIXTURES}${d}/${f}`, 'utf8')]),
      ),
    ]
  : [];
// Domains of type 'test' follow the test driver's own device rules (no USB input, …): left out.
const definable = defineSources.filter(([, xml]) => /<domain[^>]*\btype=["'](kvm|qemu)["']/.test(xml) && define(xml).ok);

/** Every disk that can go onto SCSI moved there, then one more SCSI disk added. */
function allToScsi(v: DomainView): DomainEdit[] {
  const edits: DomainEdit[] = v.disks.filter((d) => d.target && d.bus !== 'scsi' && d.bus !== 'fdc' && d.device !== 'floppy').map((d) => ({ kind: 'set-disk-bus', target: d.target!, bus: 'scsi' }));
  return [...edits, { kind: 'add-disk', bus: 'scsi', source: { file: '/var/lib/libvirt/images/extra.img' }, format: 'raw' }];
}

describe.skipIf(!hasVirsh)("libvirt's parser (virsh -c test:///default define)", () => {
  afterAll(() => {
    console.log(`virsh define: ${definable.length}/${defineSources.length} inputs accepted as given`);
    if (defineDir) rmSync(defineDir, { recursive: true, force: true });
  });

  test('the libvirt-dumped corpus files and every real-world fixture define as given', () => {
    expect(definable.map(([n]) => n)).toEqual(expect.arrayContaining(['bootorder-in.xml', 'controller-attached-devices.xml', 'real-world/rw-win11-inactive.xml', 'real-world/rw-rhel9-inactive.xml', 'fixture RHEL7_LSI']));
  });

  const sets: [string, (v: DomainView) => DomainEdit[]][] = [
    ['headline edits', headlineEdits],
    ['every other edit kind', broadEdits],
    ['disks to virtio', virtioEdits],
    ['added devices', addedDevices],
    ['every disk to SCSI', allToScsi],
  ];
  for (const [setName, make] of sets) {
    test.each(definable.map(([name, xml]) => ({ name, xml })))(`${setName}: $name still defines`, ({ name, xml }) => {
      // Edits this domain refuses (an IDE move on q35, a CD-ROM to virtio) are left out one by one.
      let out = xml;
      for (const e of make(readDomain(xml))) {
        try {
          out = applyEdits(out, [e]);
        } catch {
          // refused with a message: nothing changed
        }
      }
      const r = define(out);
      expect(r.ok, `${name}:\n${r.output}\n${out}`).toBe(true);
    });
  }
});
