// What a guest architecture and machine type can have, for the hardware editor, the advisor and
// the fleet: x86 PCs (pc/q35) have SATA/AHCI, IDE and the PC's legacy devices; ARM `virt`
// machines have neither (disks on virtio or SCSI; virtio-mmio or PCIe); every guest of another
// architecture than the host's runs under QEMU's TCG emulation, never with KVM.

/** 32- and 64-bit x86, as libvirt names them. */
export const isX86 = (arch: string | null | undefined): boolean => arch === 'x86_64' || arch === 'i686' || arch === 'i386';

/** ARM, as libvirt names them (aarch64, armv7l, armv6l). */
export const isArm = (arch: string | null | undefined): boolean => !!arch && (arch === 'aarch64' || arch.startsWith('armv'));

/** Whether a guest of `arch` runs emulated (TCG) on a host of `hostArch` (x86_64 unless known). */
export const runsUnderTcg = (arch: string | null | undefined, hostArch = 'x86_64'): boolean => !!arch && arch !== hostArch && !(hostArch === 'x86_64' && isX86(arch));

/** Whether the machine has an AHCI (SATA) controller and IDE: x86 PCs only. An unknown arch
 *  counts as x86, as libvirt's default for a domain without one is the host's. */
export const machineHasSata = (arch: string | null | undefined, machine?: string | null): boolean => {
  if (arch && !isX86(arch)) return false;
  return !machine || !/^microvm/.test(machine);
};
