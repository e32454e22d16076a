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

/** Whether the machine can have an AHCI (SATA) controller and IDE: not ARM (virt and the boards),
 *  not x86 microvm. An unknown arch counts as x86, libvirt's default on an x86 host. */
export const machineHasSata = (arch: string | null | undefined, machine?: string | null): boolean => {
  // ARM boards and `virt` have no AHCI; other architectures' boards are taken as the domain says.
  if (isArm(arch)) return false;
  return !machine || !/^microvm/.test(machine);
};

/** The disk buses a machine has, of virtio, scsi, sata, ide and usb: SATA only on x86 PCs, IDE
 *  only on i440fx (q35 has no IDE controller), neither on ARM `virt` or other architectures. */
export function diskBusesFor(arch: string | null | undefined, machine: string | null | undefined): Array<'virtio' | 'scsi' | 'sata' | 'ide' | 'usb'> {
  if (!machineHasSata(arch, machine)) return ['virtio', 'scsi', 'usb'];
  return /q35/.test(machine ?? '') ? ['virtio', 'scsi', 'sata', 'usb'] : ['virtio', 'scsi', 'sata', 'ide', 'usb'];
}

/** Why a bus cannot be on this machine, or undefined when it can. */
export function diskBusProblem(bus: string, arch: string | null | undefined, machine: string | null | undefined): string | undefined {
  if ((diskBusesFor(arch, machine) as string[]).includes(bus)) return undefined;
  if (bus === 'ide' && !isArm(arch)) return 'the q35 machine type has no IDE controller; use bus sata';
  return `a ${arch ?? 'non-x86'} ${machine ?? ''} machine has no ${bus === 'sata' ? 'SATA (AHCI)' : bus.toUpperCase()} controller: use virtio or scsi`.replace('  ', ' ');
}
