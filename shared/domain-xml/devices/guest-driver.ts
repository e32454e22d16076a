// What a guest needs to drive a virtio device: the driver's name on Linux and on Windows (the
// virtio-win ISO's folder). Each device module names its own; the advisor's gates say them.

export interface GuestDriverNames {
  /** The Linux kernel module (modprobe NAME, or in the initramfs). */
  linux: string;
  /** The virtio-win driver Windows needs. */
  windows: string;
}

/** The hint for a guest that has not started the driver: the OS name picks which one. */
export function guestDriverHint(names: GuestDriverNames, windows: boolean): string {
  return windows ? `install ${names.windows} from the virtio-win ISO in the guest` : `load the driver in the guest (Linux: modprobe ${names.linux}, or add it to the initramfs)`;
}
