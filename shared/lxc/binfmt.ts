// The host's foreign-architecture handlers: /proc/sys/fs/binfmt_misc/qemu-* as the kernel prints
// them ("enabled", "interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P", "flags: PF", …).

export interface BinfmtHandler {
  name: string;
  enabled: boolean;
  interpreter?: string;
  /** P: preserve argv[0]; O: open the binary; C: credentials; F: the interpreter is opened at
   *  registration, so it need not exist inside a container's root filesystem. */
  flags: string;
  /** The architecture it runs, from its name (qemu-aarch64 → aarch64). */
  arch: string;
}

const ARCH_OF: Record<string, string> = { arm: 'armv7l', armeb: 'armv7b', i386: 'i686' };

/** One handler file's text. */
export function parseBinfmtHandler(name: string, text: string): BinfmtHandler {
  const lines = text.split('\n').map((l) => l.trim());
  const flags = lines.find((l) => l.startsWith('flags:'))?.slice(6).trim() ?? '';
  const interpreter = lines.find((l) => l.startsWith('interpreter '))?.slice(12).trim();
  const suffix = name.replace(/^qemu-/, '');
  return { name, enabled: lines[0] === 'enabled', interpreter, flags, arch: ARCH_OF[suffix] ?? suffix };
}

/** The output of the fixed listing script (see binfmtScript): "== NAME" then the file's text. */
export function parseBinfmtListing(out: string): { mounted: boolean; handlers: BinfmtHandler[] } {
  if (/^unmounted$/m.test(out)) return { mounted: false, handlers: [] };
  const handlers: BinfmtHandler[] = [];
  for (const part of out.split(/^== /m).slice(1)) {
    const nl = part.indexOf('\n');
    const name = (nl < 0 ? part : part.slice(0, nl)).trim();
    if (/^qemu-[A-Za-z0-9_]+$/.test(name)) handlers.push(parseBinfmtHandler(name, nl < 0 ? '' : part.slice(nl + 1)));
  }
  return { mounted: true, handlers: handlers.sort((a, b) => a.name.localeCompare(b.name)) };
}

/** A fixed sh script (no input in it) that prints every qemu-* handler of the host. */
export const BINFMT_SCRIPT =
  'd=/proc/sys/fs/binfmt_misc; [ -e "$d/status" ] || { echo unmounted; exit 0; }; for f in "$d"/qemu-*; do [ -e "$f" ] || continue; echo "== ${f##*/}"; cat "$f"; done';
