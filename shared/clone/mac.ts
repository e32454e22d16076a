// MAC addresses for clones: libvirt's (QEMU's) locally administered 52:54:00 prefix, three random
// bytes, never one already used on the host nor handed to another clone of the same batch.

export const LIBVIRT_MAC_PREFIX = '52:54:00';

const hex = (b: number) => b.toString(16).padStart(2, '0');

/** A new MAC not in `taken` (lower case); it is added to `taken`. `random` gives 3 bytes. */
export function newMac(taken: Set<string>, random: () => Uint8Array = () => crypto.getRandomValues(new Uint8Array(3))): string {
  for (let tries = 0; tries < 1000; tries++) {
    const b = random();
    const mac = `${LIBVIRT_MAC_PREFIX}:${hex(b[0]!)}:${hex(b[1]!)}:${hex(b[2]!)}`;
    if (!taken.has(mac)) {
      taken.add(mac);
      return mac;
    }
  }
  throw new Error('Could not find a free MAC address');
}
