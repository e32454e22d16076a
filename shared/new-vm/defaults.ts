// What the chosen OS makes the defaults, and why (the review page shows each reason).
import { wantsTpmAndUefi, type OsChoice } from './os';
import type { DiskBusChoice, HostOffer, NewVmSpec, NicModelChoice, VideoChoice } from './spec';

export interface OsDefaults {
  diskBus: DiskBusChoice;
  nicModel: NicModelChoice;
  video: VideoChoice;
  firmware: 'bios' | 'uefi';
  secureBoot: boolean;
  tpm: boolean;
  memoryMiB: number;
  vcpus: number;
  diskGiB: number;
}

export function osDefaults(os: OsChoice, host: HostOffer): OsDefaults {
  if (os.family === 'windows') {
    const modern = wantsTpmAndUefi(os);
    return {
      // Windows Setup has no virtio drivers: SATA and e1000e until virtio-win is in (the advisor's safe path).
      diskBus: 'sata',
      nicModel: 'e1000e',
      video: 'qxl',
      firmware: modern && host.uefi ? 'uefi' : 'bios',
      secureBoot: modern && host.uefi && host.secureBoot,
      tpm: modern && host.tpmEmulator,
      memoryMiB: 4096,
      vcpus: Math.min(2, host.cpus || 2),
      diskGiB: 64,
    };
  }
  return { diskBus: 'virtio', nicModel: 'virtio', video: 'virtio', firmware: 'bios', secureBoot: false, tpm: false, memoryMiB: 1024, vcpus: Math.min(2, host.cpus || 1), diskGiB: 16 };
}

/** The spec with the OS's defaults applied (name, media, disk, NIC source kept). */
export function withOsDefaults(spec: NewVmSpec, os: OsChoice, host: HostOffer): NewVmSpec {
  const d = osDefaults(os, host);
  return {
    ...spec,
    os,
    diskBus: d.diskBus,
    video: d.video,
    firmware: d.firmware,
    secureBoot: d.secureBoot,
    tpm: d.tpm,
    nic: spec.nic ? { ...spec.nic, model: d.nicModel } : null,
  };
}

/** One line per default the review page explains. */
export function explainDefaults(spec: NewVmSpec): Array<{ item: string; why: string }> {
  const win = spec.os.family === 'windows';
  const out: Array<{ item: string; why: string }> = [];
  out.push({ item: `Machine ${spec.machine}`, why: 'q35 is a modern PCIe chipset (SATA/AHCI, no IDE); what current guests expect.' });
  out.push({
    item: spec.domainType === 'kvm' ? 'CPU host-passthrough' : 'CPU emulated (TCG)',
    why: spec.domainType === 'kvm' ? "The guest sees every feature of the host's CPU: the fastest choice when the VM stays on like hosts." : 'This host has no usable KVM: QEMU emulates the CPU (slow, but it works).',
  });
  out.push({
    item: `Disk on ${spec.diskBus}`,
    why: spec.diskBus === 'sata' ? 'Windows Setup finds a SATA disk without extra drivers; move it to virtio later (the advisor shows the safe path).' : 'Paravirtualized: far fewer VM exits than an emulated controller; Linux has the driver built in.',
  });
  if (spec.disk.kind !== 'none') out.push({ item: "discard='unmap'", why: 'Space the guest frees (TRIM) goes back to the host on thin qcow2 storage.' });
  if (spec.nic) {
    out.push({
      item: `NIC ${spec.nic.model}`,
      why: spec.nic.model === 'virtio' ? 'virtio-net is paravirtualized and much faster than an emulated card.' : 'Works with the drivers in the installer; switch to virtio once the virtio-win drivers are in.',
    });
  }
  out.push({ item: 'virtio balloon with statistics', why: 'The host can take back unused memory, and the guest reports what it uses every 5 s.' });
  out.push({ item: 'virtio RNG', why: "Entropy from the host's /dev/urandom: no slow boots waiting for randomness." });
  out.push({ item: 'Guest agent channel', why: 'Clean shutdown, filesystem freeze for backups, the guest IP addresses (with qemu-guest-agent inside).' });
  out.push({ item: `Video ${spec.video}`, why: spec.video === 'virtio' ? 'virtio-gpu: paravirtualized and resizes with the window.' : spec.video === 'qxl' ? 'QXL has Windows drivers in virtio-win.' : 'Plain VGA.' });
  if (spec.firmware === 'uefi') out.push({ item: `UEFI${spec.secureBoot ? ' with Secure Boot' : ''}`, why: win ? 'Windows 11 requires UEFI and Secure Boot.' : 'UEFI firmware (OVMF).' });
  if (spec.tpm) out.push({ item: 'TPM 2.0 (emulated)', why: 'Windows 11 requires a TPM 2.0; swtpm emulates one, its state kept by libvirt.' });
  if (win) {
    out.push({ item: 'Hyper-V enlightenments', why: 'Windows runs much better when it knows it is virtualized (timers, spinlocks, APIC).' });
    out.push({
      item: 'Afterwards',
      why: "Once the virtio-win drivers are installed, the advisor's safe path moves the disk and NIC to virtio step by step (a small virtio disk first, so Windows loads the driver before the boot disk moves).",
    });
  }
  return out;
}
