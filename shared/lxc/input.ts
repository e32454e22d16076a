// Checks of what a person types for an LXC container, before anything runs on the host.

/** Why `name` cannot be an LXC container's name, or undefined. LXC makes NAME a directory under
 *  its lxcpath, so '/' and the names '.' and '..' cannot be; a leading '-' would read as an option
 *  to the tools; control characters break their tables; the templates fail on spaces. Quotes, $(),
 *  ; and unicode are fine (seen working with LXC 5.0). */
export function lxcNameProblem(name: string): string | undefined {
  if (!name.trim()) return 'A container needs a name';
  if (name.includes('/')) return `"${name}": a container name cannot contain "/" (it is a directory name)`;
  if (name === '.' || name === '..') return `"${name}" cannot be a container name`;
  if (name.startsWith('-')) return `"${name}": a container name cannot start with "-"`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'A container name cannot contain control characters';
  // lxc-create's templates split their arguments at spaces (seen: "a b" fails and leaves "a/").
  if (/\s/.test(name)) return `"${name}": a container name cannot contain spaces (the LXC templates split at them)`;
  if (new TextEncoder().encode(name).length > 200) return 'A container name has at most 200 bytes';
  return undefined;
}

/** A memory limit as typed ("256", "256M", "1G", "512MiB"), in MiB; or a reason it is not one. */
export function parseMemoryMiB(text: string): { mib: number } | { problem: string } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(|m|mb|mib|g|gb|gib)\s*$/i.exec(text);
  if (!m) return { problem: `"${text}" is not a memory size: give MiB (e.g. 256) or 1G` };
  const mib = Number(m[1]) * (/^g/i.test(m[2]!) ? 1024 : 1);
  if (!Number.isFinite(mib) || mib < 4 || mib > 1024 * 1024 || !Number.isInteger(mib)) return { problem: `${text}: a memory limit is a whole number of MiB from 4 MiB to 1 TiB` };
  return { mib };
}

/** Why `link` cannot be a host bridge name for lxc.net.0.link, or undefined (Linux: ≤ 15 bytes,
 *  no '/', no whitespace). */
export function bridgeNameProblem(link: string): string | undefined {
  if (!/^[A-Za-z0-9_.:@+-]{1,15}$/.test(link) || link === '.' || link === '..') return `"${link}" is not a bridge name`;
  return undefined;
}
