// What a new VM is made of: the wizard's answers, and what the host offers (host-offer) that
// decides the defaults and limits. Pure data; build.ts turns a spec into domain XML.
import type { OsChoice } from './os';

export type InstallMedia =
  /** Boot an ISO on a CD-ROM (a volume already in a pool, or one just uploaded into it). */
  | { kind: 'iso'; path: string }
  /** The disk already holds a system: boot it. */
  | { kind: 'import' }
  /** Boot from the network (PXE) first. */
  | { kind: 'pxe' };

export type NewVmDisk =
  /** A new volume in a pool, created before the define (the backend knows its path then). */
  | { kind: 'new'; pool: string; volume: string; sizeGiB: number; path?: string }
  /** A volume that is already there. */
  | { kind: 'existing'; path: string; format: string }
  | { kind: 'none' };

export type DiskBusChoice = 'virtio' | 'scsi' | 'sata';
export type NicModelChoice = 'virtio' | 'e1000e' | 'e1000';
export type VideoChoice = 'virtio' | 'qxl' | 'vga';

export interface NewVmSpec {
  name: string;
  title?: string;
  os: OsChoice;
  arch: string;
  machine: string;
  /** 'kvm' where the host can, else 'qemu' (TCG). */
  domainType: 'kvm' | 'qemu';
  vcpus: number;
  memoryMiB: number;
  firmware: 'bios' | 'uefi';
  secureBoot: boolean;
  /** An emulated TPM 2.0 (swtpm). */
  tpm: boolean;
  media: InstallMedia;
  disk: NewVmDisk;
  diskBus: DiskBusChoice;
  /** A second CD-ROM, e.g. the virtio-win driver ISO for a Windows install. */
  driverIso?: string;
  nic: { type: 'network' | 'bridge'; source: string; mac: string; model: NicModelChoice } | null;
  video: VideoChoice;
  /** Keep the serial console's output in a file on the host (the boot messages survive). */
  serialLog: boolean;
  autostart: boolean;
}

/** What the host offers, from `virsh domcapabilities` / `capabilities` and its tools. */
export interface HostOffer {
  arch: string;
  /** Whether KVM is usable (else guests run under TCG). */
  kvm: boolean;
  machines: string[];
  /** UEFI firmware is installed (OVMF), and whether it offers Secure Boot. */
  uefi: boolean;
  secureBoot: boolean;
  /** An emulated TPM is possible (swtpm installed). */
  tpmEmulator: boolean;
  cpus: number;
  memoryKiB: number;
  memoryFreeKiB: number;
  numaCells: number;
}

/** libvirt's rules for a domain name: something, no '/', no control characters; and unique on the host. */
export function vmNameProblem(name: string, taken: readonly string[]): string | undefined {
  if (name.trim() === '') return 'The VM needs a name';
  if (name !== name.trim()) return 'The name may not start or end with a space';
  if (name.includes('/')) return 'The name may not contain "/"';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'The name may not contain control characters or line breaks';
  if ([...name].length > 200) return 'The name is too long (at most 200 characters)';
  if (taken.includes(name)) return `The host already has a VM named "${name}"`;
  return undefined;
}

/** Why the spec cannot be defined on the host, each reason once (empty when it can). */
export function specProblems(spec: NewVmSpec, host: HostOffer, takenNames: readonly string[]): string[] {
  const out: string[] = [];
  const name = vmNameProblem(spec.name, takenNames);
  if (name) out.push(name);
  if (!Number.isInteger(spec.vcpus) || spec.vcpus < 1) out.push('At least 1 vCPU');
  else if (host.cpus && spec.vcpus > host.cpus) out.push(`The host has ${host.cpus} CPUs; ${spec.vcpus} vCPUs would overcommit each`);
  if (!Number.isInteger(spec.memoryMiB) || spec.memoryMiB < 16) out.push('At least 16 MiB of memory');
  else if (host.memoryKiB && spec.memoryMiB * 1024 > host.memoryKiB) out.push(`The host has ${Math.floor(host.memoryKiB / 1024)} MiB of memory in all`);
  if (spec.firmware === 'uefi' && !host.uefi) out.push('The host has no UEFI firmware (install OVMF)');
  if (spec.secureBoot && (spec.firmware !== 'uefi' || !host.secureBoot)) out.push("Secure Boot needs UEFI firmware that offers it (the host's OVMF)");
  if (spec.tpm && !host.tpmEmulator) out.push('An emulated TPM needs swtpm on the host');
  if (spec.disk.kind === 'new' && !(spec.disk.sizeGiB > 0)) out.push('The new disk needs a size above 0');
  if (spec.media.kind === 'import' && spec.disk.kind !== 'existing') out.push('Importing boots an existing disk image: pick one');
  if (spec.media.kind === 'iso' && !spec.media.path) out.push('Pick the ISO to install from');
  if (spec.disk.kind === 'none' && spec.media.kind !== 'iso' && spec.media.kind !== 'pxe') out.push('The VM needs a disk to boot');
  if (spec.nic && !spec.nic.source.trim()) out.push('Pick the network or bridge of the NIC');
  if (spec.media.kind === 'pxe' && !spec.nic) out.push('Network boot needs a NIC');
  return out;
}
