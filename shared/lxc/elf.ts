// A container's architecture from its init binary's ELF header (the first 20 bytes: class, byte
// order and e_machine), as `od -An -tx1 -N20 FILE` prints them, and from the config's lxc.arch
// (what the download template writes: amd64, arm64, armhf, i386 …), both in libvirt's names.

/** e_machine values (ELF gABI) of the architectures a host may emulate, by class (1 = 32-bit, 2 = 64-bit). */
const MACHINES: Record<number, (elfClass: number) => string> = {
  0x03: () => 'i686',
  0x08: (c) => (c === 2 ? 'mips64' : 'mips'),
  0x14: () => 'ppc',
  0x15: () => 'ppc64',
  0x16: () => 's390x',
  0x28: () => 'armv7l',
  0x2b: () => 'sparc64',
  0x3e: () => 'x86_64',
  0xb7: () => 'aarch64',
  0xf3: (c) => (c === 2 ? 'riscv64' : 'riscv32'),
  0x102: () => 'loongarch64',
};

/** Bytes from `od -An -tx1` output (hex pairs, any spacing and lines). */
export function odBytes(out: string): number[] {
  return (out.match(/\b[0-9a-f]{2}\b/gi) ?? []).map((h) => parseInt(h, 16));
}

/** The architecture an ELF header names, or undefined when it is not ELF or too short. */
export function elfArch(bytes: readonly number[]): string | undefined {
  if (bytes.length < 20 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) return undefined;
  const elfClass = bytes[4]!;
  const little = bytes[5] === 1;
  const machine = little ? bytes[18]! | (bytes[19]! << 8) : (bytes[18]! << 8) | bytes[19]!;
  const name = MACHINES[machine]?.(elfClass);
  if (name === 'ppc64' && little) return 'ppc64le';
  if (name === 'mips' && little) return 'mipsel';
  if (name === 'mips64' && little) return 'mips64el';
  return name ?? `elf-machine-${machine}`;
}

/** lxc.arch's words (LXC and the download template's) in libvirt's names. */
const CONFIG_ARCH: Record<string, string> = {
  x86_64: 'x86_64', amd64: 'x86_64', i386: 'i686', i486: 'i686', i586: 'i686', i686: 'i686', x86: 'i686',
  arm64: 'aarch64', aarch64: 'aarch64', armhf: 'armv7l', armel: 'armv7l', armv7l: 'armv7l', armv7: 'armv7l', arm: 'armv7l',
  ppc64el: 'ppc64le', ppc64le: 'ppc64le', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64',
};

/** The architecture lxc.arch names (undefined when unset or unknown). */
export const configArch = (value: string | undefined): string | undefined => (value ? CONFIG_ARCH[value.trim().toLowerCase()] : undefined);

/** The qemu-user binfmt handler that runs `arch` (qemu-aarch64, qemu-arm …). */
export function binfmtHandlerFor(arch: string): string {
  if (arch === 'armv7l') return 'qemu-arm';
  if (arch === 'i686') return 'qemu-i386';
  return `qemu-${arch}`;
}
