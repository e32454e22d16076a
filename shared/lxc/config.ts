// An LXC container's config file (lxc.container.conf(5)): "key = value" lines, comments and blank
// lines kept as they are. Reading gives the keys in order (a key may repeat: lxc.mount.entry);
// setting a key rewrites its one line in place, or appends it, so the rest of the file survives.

export interface LxcConfigEntry {
  key: string;
  value: string;
  line: number;
}

const KEY_LINE = /^\s*(lxc\.[A-Za-z0-9_.]+)\s*=\s*(.*?)\s*$/;

export function parseLxcConfig(text: string): LxcConfigEntry[] {
  const entries: LxcConfigEntry[] = [];
  text.split('\n').forEach((l, line) => {
    const m = KEY_LINE.exec(l);
    if (m) entries.push({ key: m[1]!, value: m[2]!, line });
  });
  return entries;
}

/** The last value of a key (LXC: a later line overrides an earlier one for single-valued keys). */
export const configValue = (entries: readonly LxcConfigEntry[], key: string): string | undefined => entries.filter((e) => e.key === key).at(-1)?.value;

/** The text with `key` set to `value` (every line of it replaced by one), or removed when value is
 *  undefined. A value with a newline is refused: it would add a line of its own. */
export function setLxcConfigKey(text: string, key: string, value: string | undefined): string {
  if (!/^lxc\.[A-Za-z0-9_.]+$/.test(key)) throw new Error(`Not an LXC config key: ${key}`);
  if (value !== undefined && /[\n\r]/.test(value)) throw new Error(`A value for ${key} cannot span lines`);
  const lines = text.split('\n');
  let placed = false;
  const out: string[] = [];
  for (const l of lines) {
    const m = KEY_LINE.exec(l);
    if (m && m[1] === key) {
      if (!placed && value !== undefined) out.push(`${key} = ${value}`);
      placed = true;
      continue;
    }
    out.push(l);
  }
  if (!placed && value !== undefined) {
    while (out.length && out[out.length - 1] === '') out.pop();
    out.push(`${key} = ${value}`, '');
  }
  return out.join('\n');
}

/** The cgroup memory limit key for the host's hierarchy (v1 memory controller, or cgroup2). */
export const memoryLimitKey = (cgroup2: boolean): string => (cgroup2 ? 'lxc.cgroup2.memory.max' : 'lxc.cgroup.memory.limit_in_bytes');

/** The initial config of a new container (lxc-create -f): its NIC and memory limit. */
export function newContainerConfig(spec: { memoryMiB?: number; bridge?: string; cgroup2: boolean; autostart?: boolean }): string {
  const lines = spec.bridge ? ['lxc.net.0.type = veth', `lxc.net.0.link = ${spec.bridge}`, 'lxc.net.0.flags = up'] : ['lxc.net.0.type = empty'];
  if (spec.memoryMiB) lines.push(`${memoryLimitKey(spec.cgroup2)} = ${spec.memoryMiB * 1024 * 1024}`);
  if (spec.autostart) lines.push('lxc.start.auto = 1');
  return `${lines.join('\n')}\n`;
}
