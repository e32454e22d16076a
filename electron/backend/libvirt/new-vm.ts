// A new VM on one host: what the host offers the wizard (domcapabilities, capabilities, free
// memory, osinfo-query, networks and bridges, MACs in use) and the create: the disk volume, the
// domain XML (shared/new-vm) through `virsh define --validate` on stdin, autostart and start.
// What the create made before a failed step is removed again, and the error says so.
import type { NewVmOffer, NewVmResult } from '../../../shared/contract/index.js';
import { buildDomainXml, macProblem, osCatalog, parseOsinfoQuery, specProblems, type HostOffer, type NewVmSpec } from '../../../shared/new-vm/index.js';
import { UserError } from '../errors.js';
import { capabilitiesOfferKvm, parseNumaCells } from './host-info.js';
import { parseCapabilitiesHost, parseFreeCells } from './host-facts.js';
import { readVmNics } from './networks.js';
import { nicSources } from './nic-sources.js';
import { createVolume, deleteVolume } from './storage.js';
import { readHostStorage, type VirshRunner } from './storage-read.js';
import type { Virsh } from './virsh.js';

type Exec = (argv: readonly string[]) => Promise<string>;

const enumValues = (xml: string, name: string): string[] => {
  const m = new RegExp(`<enum name='${name}'>([\\s\\S]*?)</enum>`).exec(xml);
  return m ? [...m[1]!.matchAll(/<value>([^<]*)<\/value>/g)].map((v) => v[1]!) : [];
};

/** `virsh domcapabilities` (for the machine's virt type): UEFI and Secure Boot firmware, an emulated TPM. */
export function parseFirmwareOffer(domcaps: string): Pick<HostOffer, 'uefi' | 'secureBoot' | 'tpmEmulator'> {
  const os = /<os supported='yes'>([\s\S]*?)<\/os>/.exec(domcaps)?.[1] ?? '';
  const loader = /<loader supported='yes'>([\s\S]*?)<\/loader>/.exec(os)?.[1] ?? '';
  const uefi = enumValues(os, 'firmware').includes('efi') || /OVMF|edk2/i.test(loader);
  const secureBoot = uefi && enumValues(loader, 'secure').includes('yes');
  const tpm = /<tpm supported='yes'>([\s\S]*?)<\/tpm>/.exec(domcaps)?.[1] ?? '';
  return { uefi, secureBoot, tpmEmulator: enumValues(tpm, 'backendModel').includes('emulator') && enumValues(tpm, 'backendVersion').concat(['2.0']).includes('2.0') };
}

/** Canonical machine names (q35, pc) from the capabilities' <guest> for the arch. */
function machinesOf(caps: string, arch: string): string[] {
  const guest = [...caps.matchAll(/<guest>([\s\S]*?)<\/guest>/g)].map((g) => g[1]!).find((g) => g.includes(`<arch name='${arch}'>`)) ?? '';
  const all = [...guest.matchAll(/<machine[^>]*>([^<]+)<\/machine>/g)].map((m) => m[1]!);
  const canonical = ['q35', 'pc'].filter((m) => all.includes(m));
  return canonical.length ? canonical : [...new Set(all)].slice(0, 8);
}

export async function readNewVmOffer(virsh: Virsh, exec: Exec, hostId: string, vmNames: string[]): Promise<NewVmOffer> {
  const soft = (p: Promise<string>) => p.catch(() => '');
  const caps = await virsh.run(['capabilities']);
  const topo = parseCapabilitiesHost(caps);
  const arch = /<host>[\s\S]*?<arch>([^<]+)<\/arch>/.exec(caps)?.[1] ?? 'x86_64';
  const kvm = capabilitiesOfferKvm(caps);
  const [domcaps, freecell, osinfo, sources, nics] = await Promise.all([
    soft(virsh.run(['domcapabilities', '--virttype', kvm ? 'kvm' : 'qemu', '--arch', arch, '--machine', 'q35'])),
    soft(virsh.run(['freecell', '--all'])),
    // osinfo-query is optional (package libosinfo-bin); its absence is not an error.
    soft(exec(['sh', '-c', 'command -v osinfo-query >/dev/null && exec osinfo-query os --fields=short-id,name,family,id'])),
    nicSources((args) => virsh.run(args), exec).catch(() => []),
    readVmNics(virsh).catch(() => []),
  ]);
  const free = parseFreeCells(freecell);
  const hostOses = parseOsinfoQuery(osinfo);
  return {
    hostId,
    host: {
      arch,
      kvm,
      machines: machinesOf(caps, arch),
      ...parseFirmwareOffer(domcaps),
      cpus: topo.cpus ?? 0,
      memoryKiB: topo.memoryKiB ?? 0,
      memoryFreeKiB: free.size ? [...free.values()].reduce((a, b) => a + b, 0) : 0,
      numaCells: Math.max(1, parseNumaCells(caps).length),
    },
    oses: osCatalog(hostOses),
    osinfo: hostOses.length > 0,
    nicSources: sources.filter((s) => s.type !== 'direct').map((s) => ({ ...s, pxe: s.type === 'network' && /DHCP/.test(s.what) && !/inactive/.test(s.what) })),
    macs: [...new Set(nics.flatMap((n) => (n.mac ? [n.mac.toLowerCase()] : [])))],
    vmNames,
  };
}

/** The kind-specific fields the contract's parameter check passed on unread. */
function checkParts(spec: NewVmSpec): void {
  const str = (v: unknown) => typeof v === 'string' && v.length > 0;
  const m = spec.media as { kind: string; path?: unknown };
  if (!['iso', 'import', 'pxe'].includes(m.kind) || (m.kind === 'iso' && !str(m.path))) throw new UserError('invalid-input', 'The install media must be an ISO (with its path), import or pxe');
  const d = spec.disk as { kind: string; pool?: unknown; volume?: unknown; sizeGiB?: unknown; path?: unknown; format?: unknown };
  const ok =
    (d.kind === 'new' && str(d.pool) && str(d.volume) && typeof d.sizeGiB === 'number') || (d.kind === 'existing' && str(d.path) && str(d.format)) || d.kind === 'none';
  if (!ok) throw new UserError('invalid-input', 'The disk must be a new volume (pool, volume, size), an existing one (path, format) or none');
}

export async function createVm(virsh: Virsh & VirshRunner, offer: NewVmOffer, spec: NewVmSpec, start: boolean): Promise<NewVmResult> {
  checkParts(spec);
  const problems = specProblems(spec, offer.host, offer.vmNames);
  const mac = spec.nic && macProblem(spec.nic.mac, offer.macs);
  if (mac) problems.push(mac);
  if (problems.length) throw new UserError('invalid-input', problems.join('; '));
  const steps: string[] = [];
  let made: { pool: string; volume: string } | undefined;
  let disk = spec.disk;
  const undo = async (err: unknown, step: string): Promise<never> => {
    const why = err instanceof Error ? err.message : String(err);
    let cleanup = '';
    if (made) {
      const storage = await readHostStorage(virsh, offer.hostId, offer.vmNames).catch(() => undefined);
      const removed = storage ? await deleteVolume(virsh, storage, made.pool, made.volume, true).then(() => true, () => false) : false;
      cleanup = removed ? ` The new volume ${made.pool}/${made.volume} was removed again.` : ` The new volume ${made.pool}/${made.volume} could not be removed: delete it on the Storage page.`;
    }
    throw new UserError(err instanceof UserError ? err.code : 'libvirt', `${step} failed: ${why}.${cleanup}`.replace(/\.\./g, '.'));
  };
  if (spec.disk.kind === 'new') {
    const { pool, volume, sizeGiB } = spec.disk;
    try {
      const storage = await readHostStorage(virsh, offer.hostId, offer.vmNames);
      await createVolume(virsh, storage, { pool, name: volume, format: 'qcow2', capacityBytes: Math.round(sizeGiB * 2 ** 30), preallocate: false });
    } catch (err) {
      return undo(err, `Creating volume ${pool}/${volume}`);
    }
    made = { pool, volume };
    steps.push(`created volume ${pool}/${volume} (${sizeGiB} GiB, qcow2)`);
    try {
      disk = { ...spec.disk, path: (await virsh.run(['vol-path', '--pool', pool, volume])).trim() };
    } catch (err) {
      return undo(err, `Reading the path of ${pool}/${volume}`);
    }
  }
  const xml = buildDomainXml({ ...spec, disk });
  try {
    await virsh.run(['define', '--validate', '/dev/stdin'], { stdin: xml });
  } catch (err) {
    return undo(err, `Defining "${spec.name}"`);
  }
  steps.push('defined (virsh define --validate)');
  if (spec.autostart) {
    await virsh.run(['autostart', '--domain', spec.name]);
    steps.push('autostart on');
  }
  let startError: string | undefined;
  if (start) {
    try {
      await virsh.run(['start', '--domain', spec.name]);
      steps.push('started');
    } catch (err) {
      startError = err instanceof Error ? err.message : String(err);
    }
  }
  return { name: spec.name, xml, steps, ...(startError ? { startError } : {}) };
}
