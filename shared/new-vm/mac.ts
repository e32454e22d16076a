// NIC MAC addresses for a new VM: generated in libvirt's own 52:54:00 prefix, or typed and checked.

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;

/** A random 52:54:00:xx:xx:xx not in `taken`; `random` gives bytes 0–255 (injectable for tests). */
export function generateMac(taken: Iterable<string>, random: () => number = () => Math.floor(Math.random() * 256)): string {
  const used = new Set([...taken].map((m) => m.toLowerCase()));
  for (let i = 0; i < 1000; i++) {
    const tail = [random(), random(), random()].map((b) => (b & 0xff).toString(16).padStart(2, '0'));
    const mac = `52:54:00:${tail.join(':')}`;
    if (!used.has(mac)) return mac;
  }
  throw new Error('no free MAC address found');
}

/** Why a typed MAC cannot be used on this host, or undefined. */
export function macProblem(mac: string, taken: Iterable<string>): string | undefined {
  const m = mac.trim().toLowerCase();
  if (!MAC.test(m)) return `"${mac}" is not a MAC address (six pairs of hex digits, e.g. 52:54:00:12:34:56)`;
  if (parseInt(m.slice(0, 2), 16) & 1) return `${m} is a multicast address; a NIC needs a unicast one`;
  if (m === '00:00:00:00:00:00') return 'the all-zero MAC address cannot be used';
  for (const t of taken) if (t.toLowerCase() === m) return `${m} is already used by a NIC on this host`;
  return undefined;
}
