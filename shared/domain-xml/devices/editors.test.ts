// The device kinds with editors beyond disks and NICs: sound, USB redirection, TPM, filesystem
// shares, vsock and host devices — each read back after its edit, refused with a clear message
// when wrong, and the result accepted by libvirt's own parser (`virsh -c test:///default define
// --validate`; skipped when virsh is not installed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type DomainEdit, SOUND_MODELS, applyEdits, dedentFragment, deviceXml, readDomain } from '../index';

const RW = readFileSync(new URL('../fixtures/real-world/rw-linux2022-inactive.xml', import.meta.url), 'utf8');
const edited = (edits: DomainEdit[], xml = RW) => applyEdits(xml, edits);
const view = (edits: DomainEdit[], xml = RW) => readDomain(edited(edits, xml));
const refused = (edits: DomainEdit[], xml = RW) => expect(() => applyEdits(xml, edits));
const NO_SPICE = RW.replace(/<graphics type=(['"])spice\1[\s\S]*?<\/graphics>/, '<graphics type="vnc" port="-1"/>').replace(/<channel type=(['"])spicevmc\1[\s\S]*?<\/channel>/, '');

const hasVirsh = spawnSync('sh', ['-c', 'command -v virsh']).status === 0;
if (!hasVirsh) console.log('skipping the libvirt parser check of the device editors: virsh not installed (apt-get install libvirt-clients)');
const dir = hasVirsh ? mkdtempSync(join(tmpdir(), 'device-editors-')) : '';
let seq = 0;
/** libvirt's verdict on a domain: its test driver parses and validates it as `virsh define` would. */
function libvirtDefines(xml: string): string {
  const file = join(dir, `d${seq++}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync('virsh', ['-c', 'test:///default', 'define', '--validate', file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  return r.status === 0 ? 'ok' : `${r.stdout}${r.stderr}`.trim();
}

describe('sound', () => {
  test('read, model changed (its PCI address dropped), one added; SOUND_MODELS is what is accepted', () => {
    expect(readDomain(RW).sounds).toEqual([{ index: 0, model: 'ich9' }]);
    const xml = edited([{ kind: 'set-sound-model', index: 0, model: 'ac97' }]);
    expect(readDomain(xml).sounds).toEqual([{ index: 0, model: 'ac97' }]);
    expect(xml).toMatch(/<sound model=(['"])ac97\1\/>/);
    expect(view([{ kind: 'add-sound', model: 'usb' }]).sounds.map((s) => s.model)).toEqual(['ich9', 'usb']);
    for (const model of SOUND_MODELS) expect(view([{ kind: 'set-sound-model', index: 0, model }]).sounds[0]!.model).toBe(model);
    refused([{ kind: 'set-sound-model', index: 0, model: 'hda' as 'ich9' }]).toThrow(`(expected one of: ${SOUND_MODELS.join(', ')})`);
    refused([{ kind: 'set-sound-model', index: 3, model: 'ich9' }]).toThrow('no <sound> at index 3 (the domain has 1)');
  });
});

describe('USB redirection', () => {
  test('read, one added beside the others; refused without a SPICE display', () => {
    expect(readDomain(RW).redirdevs).toEqual([{ index: 0, bus: 'usb', type: 'spicevmc' }, { index: 1, bus: 'usb', type: 'spicevmc' }]);
    const xml = edited([{ kind: 'add-redirdev' }]);
    expect(readDomain(xml).redirdevs).toHaveLength(3);
    // After the last redirector, not somewhere else among the devices.
    expect(xml).toMatch(/<\/redirdev>\s*<redirdev bus=(['"])usb\1 type=\1spicevmc\1\/>/);
    refused([{ kind: 'add-redirdev' }], NO_SPICE).toThrow('needs a SPICE display');
  });
});

describe('TPM', () => {
  test('an emulated TPM 2.0 added, its model and version changed, passthrough, and what libvirt would refuse', () => {
    expect(readDomain(RW).tpms).toEqual([]);
    const added = edited([{ kind: 'set-tpm', tpm: { model: 'tpm-crb', backend: 'emulator', version: '2.0' } }]);
    expect(readDomain(added).tpms).toEqual([{ index: 0, model: 'tpm-crb', backendType: 'emulator', backendVersion: '2.0', device: null }]);
    const tis = readDomain(edited([{ kind: 'set-tpm', tpm: { model: 'tpm-tis', backend: 'emulator', version: '1.2' } }], added)).tpms;
    expect(tis).toEqual([{ index: 0, model: 'tpm-tis', backendType: 'emulator', backendVersion: '1.2', device: null }]);
    const pass = readDomain(edited([{ kind: 'set-tpm', tpm: { model: 'tpm-tis', backend: 'passthrough', device: '/dev/tpm0' } }], added)).tpms;
    expect(pass).toEqual([{ index: 0, model: 'tpm-tis', backendType: 'passthrough', backendVersion: null, device: '/dev/tpm0' }]);
    refused([{ kind: 'set-tpm', tpm: { model: 'tpm-crb', backend: 'emulator', version: '1.2' } }]).toThrow('tpm-crb TPM is TPM 2.0 only');
    refused([{ kind: 'set-tpm', tpm: { model: 'tpm-tis', backend: 'passthrough', device: 'tpm0' } }]).toThrow("invalid TPM device 'tpm0'");
    refused([{ kind: 'set-tpm', tpm: { model: 'tpm-x' as 'tpm-tis', backend: 'emulator', version: '2.0' } }]).toThrow("invalid TPM model 'tpm-x'");
  });

  test('an emulator keeps what else its backend says when only the version changes', () => {
    const xml = RW.replace('</devices>', "<tpm model='tpm-tis'><backend type='emulator' version='1.2' persistent_state='yes'/></tpm></devices>");
    expect(edited([{ kind: 'set-tpm', tpm: { model: 'tpm-tis', backend: 'emulator', version: '2.0' } }], xml)).toContain("<backend type='emulator' version='2.0' persistent_state='yes'/>");
  });
});

describe('filesystem shares', () => {
  test('virtiofs: added with memfd, shared memory backing (kept where a source is given); 9p: mapped, read-only', () => {
    const xml = edited([{ kind: 'add-filesystem', fs: { driver: 'virtiofs', source: '/srv/it', target: 'it' } }]);
    expect(readDomain(xml).filesystems).toEqual([{ index: 0, type: 'mount', driver: 'virtiofs', accessMode: 'passthrough', source: '/srv/it', target: 'it', readonly: false }]);
    expect(xml).toMatch(/<\/currentMemory>\s*<memoryBacking>\s*<source type='memfd'\/>\s*<access mode='shared'\/>\s*<\/memoryBacking>\s*<vcpu/);
    const huge = RW.replace('<vcpu', "<memoryBacking><hugepages/><access mode='private'/></memoryBacking>\n  <vcpu");
    expect(edited([{ kind: 'add-filesystem', fs: { driver: 'virtiofs', source: '/srv/it', target: 'it' } }], huge)).toContain("<memoryBacking><hugepages/><access mode='shared'/></memoryBacking>");
    const p9 = view([{ kind: 'add-filesystem', fs: { driver: '9p', source: '/srv/ro', target: 'ro', readonly: true } }]);
    expect(p9.filesystems).toEqual([{ index: 0, type: 'mount', driver: null, accessMode: 'mapped', source: '/srv/ro', target: 'ro', readonly: true }]);
  });

  test('refused: relative paths, bad or taken tags, read-only virtiofs', () => {
    const fs = (f: Partial<{ driver: 'virtiofs' | '9p'; source: string; target: string; readonly: boolean }>) =>
      [{ kind: 'add-filesystem', fs: { driver: 'virtiofs', source: '/srv/it', target: 'it', ...f } }] as DomainEdit[];
    refused(fs({ source: 'srv' })).toThrow("invalid host directory 'srv' (expected an absolute path)");
    refused(fs({ target: 'a b' })).toThrow("invalid mount tag 'a b'");
    refused(fs({ target: 'x'.repeat(37) })).toThrow('at most 36 bytes');
    refused(fs({ readonly: true })).toThrow('cannot be read-only');
    refused([...fs({}), ...fs({ source: '/srv/other' })]).toThrow("already shares a filesystem with mount tag 'it'");
  });
});

describe('vsock', () => {
  test('added with an automatic CID, a fixed one set, then auto again; out-of-range CIDs refused', () => {
    expect(readDomain(RW).vsock).toBeNull();
    const auto = edited([{ kind: 'set-vsock', cid: 'auto' }]);
    expect(readDomain(auto).vsock).toEqual({ model: 'virtio', auto: true, cid: null });
    const fixed = edited([{ kind: 'set-vsock', cid: 42 }], auto);
    expect(readDomain(fixed).vsock).toEqual({ model: 'virtio', auto: false, cid: 42 });
    expect(readDomain(edited([{ kind: 'set-vsock', cid: 'auto' }], fixed)).vsock).toEqual({ model: 'virtio', auto: true, cid: null });
    refused([{ kind: 'set-vsock', cid: 2 }]).toThrow("invalid vsock CID '2'");
    refused([{ kind: 'set-vsock', cid: 1.5 }]).toThrow("invalid vsock CID '1.5'");
  });
});

describe('host devices', () => {
  test('PCI by address and USB by vendor:product, managed; the same device twice refused', () => {
    const pci: DomainEdit = { kind: 'add-hostdev', source: { type: 'pci', domain: '0x0000', bus: '0x03', slot: '0x00', function: '0x0' } };
    const usb: DomainEdit = { kind: 'add-hostdev', source: { type: 'usb', vendor: '0x1D6B', product: '0x0002' } };
    const v = view([pci, usb]);
    expect(v.hostdevs).toEqual([
      { index: 0, mode: 'subsystem', type: 'pci', managed: true, source: { domain: '0x0000', bus: '0x03', slot: '0x00', function: '0x0' }, bootOrder: null },
      { index: 1, mode: 'subsystem', type: 'usb', managed: true, source: { vendor: '0x1d6b', product: '0x0002' }, bootOrder: null },
    ]);
    refused([pci, { kind: 'add-hostdev', source: { type: 'pci', domain: '0x0', bus: '0x3', slot: '0x0', function: '0x0' } }]).toThrow('already passed through');
    refused([{ kind: 'add-hostdev', source: { type: 'pci', domain: '0000', bus: '0x03', slot: '0x00', function: '0x0' } }]).toThrow("invalid PCI domain '0000'");
    refused([{ kind: 'add-hostdev', source: { type: 'scsi' } as never }]).toThrow("invalid host device type 'scsi'");
  });
});

describe.skipIf(!hasVirsh)("libvirt's parser accepts every new device", () => {
  test.each<[string, DomainEdit[]]>([
    ['sound model', [{ kind: 'set-sound-model', index: 0, model: 'ac97' }, { kind: 'add-sound', model: 'usb' }]],
    ['USB redirector', [{ kind: 'add-redirdev' }]],
    ['TPM 2.0 (crb)', [{ kind: 'set-tpm', tpm: { model: 'tpm-crb', backend: 'emulator', version: '2.0' } }]],
    ['TPM passthrough', [{ kind: 'set-tpm', tpm: { model: 'tpm-tis', backend: 'passthrough', device: '/dev/tpm0' } }]],
    ['virtiofs share', [{ kind: 'add-filesystem', fs: { driver: 'virtiofs', source: '/srv/share', target: 'share' } }]],
    ['9p share', [{ kind: 'add-filesystem', fs: { driver: '9p', source: '/srv/ro', target: 'ro', readonly: true } }]],
    ['vsock auto', [{ kind: 'set-vsock', cid: 'auto' }]],
    ['vsock fixed', [{ kind: 'set-vsock', cid: 7 }]],
    ['PCI host device', [{ kind: 'add-hostdev', source: { type: 'pci', domain: '0x0000', bus: '0x03', slot: '0x00', function: '0x0' } }]],
    ['USB host device', [{ kind: 'add-hostdev', source: { type: 'usb', vendor: '0x1d6b', product: '0x0002' } }]],
  ])('%s', (_, edits) => {
    expect(libvirtDefines(edited(edits))).toBe('ok');
  });
});

describe('a device shown on its own', () => {
  test('its fragment reads as one block: the document indentation of its inner lines taken off', () => {
    const sound = deviceXml(RW, 'sound', { index: 0 })!;
    expect(sound.split('\n')[1]).toMatch(/^ {6}<address/);
    expect(dedentFragment(sound)).toBe('<sound model="ich9">\n  <address type="pci" domain="0x0000" bus="0x00" slot="0x1b" function="0x0"/>\n</sound>');
    expect(dedentFragment('<panic model="isa"/>')).toBe('<panic model="isa"/>');
  });
});
