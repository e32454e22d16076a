// What the LXC tools print, read without their English words where a figure exists: the fancy
// table of `lxc-ls -f -F …` (LXC has no JSON output), `lxc-info -H` and `lxc-info -c KEY`.
// Columns of `lxc-ls -f` are padded to their widest value in BYTES (printf "%-*s"), and a value
// may hold spaces (a list of addresses "a, b", a name with a space), so a row is cut at the byte
// offsets where the header's column names begin, never at whitespace.
import type { VmState } from '../contract/vms';

/** The columns asked of `lxc-ls -f -F`, in this order. */
export const LXC_LS_COLUMNS = ['NAME', 'STATE', 'PID', 'RAM', 'AUTOSTART', 'IPV4', 'IPV6', 'UNPRIVILEGED'] as const;

/** `lxc-ls` as run on a host: fancy table, the columns above (LXC 2.0 and later). */
export const lxcLsArgs = (): string[] => ['lxc-ls', '--fancy', '--fancy-format', LXC_LS_COLUMNS.join(',')];

export type LxcToolState = 'STOPPED' | 'STARTING' | 'RUNNING' | 'STOPPING' | 'ABORTING' | 'FREEZING' | 'FROZEN' | 'THAWED';

export interface LxcListed {
  name: string;
  state: VmState;
  /** The tool's own word (RUNNING, FROZEN, …). */
  toolState: string;
  pid?: number;
  /** `RAM` in KiB (lxc-ls prints MiB with two decimals, "MB"). */
  memUsedKiB?: number;
  autostart: boolean;
  ipv4: string[];
  ipv6: string[];
  unprivileged?: boolean;
}

/** An LXC state as a libvirt domain state word, so the fleet's badges and filters apply. */
export function lxcState(word: string): VmState {
  switch (word) {
    case 'RUNNING':
    case 'STARTING':
    case 'THAWED':
      return 'running';
    case 'FROZEN':
    case 'FREEZING':
      return 'paused';
    case 'STOPPING':
      return 'shutdown';
    case 'ABORTING':
      return 'crashed';
    case 'STOPPED':
      return 'shutoff';
    default:
      return 'nostate';
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const dash = (v: string): string | undefined => (v === '' || v === '-' ? undefined : v);
const list = (v: string): string[] => (dash(v) ? v.split(',').map((a) => a.trim()).filter(Boolean) : []);

/** `lxc-ls -f -F NAME,STATE,…` (any subset of LXC_LS_COLUMNS, NAME first) → rows; an empty
 *  output (no container) or one without the header is no rows. */
export function parseLxcLs(out: string): LxcListed[] {
  const lines = out.split('\n').filter((l) => l.trim() !== '');
  const header = lines.shift();
  if (!header || !/^NAME\s/.test(header)) return [];
  const starts: Array<{ name: string; at: number }> = [];
  for (const m of header.matchAll(/\S+/g)) starts.push({ name: m[0], at: enc.encode(header.slice(0, m.index)).length });
  return lines.map((line) => {
    const bytes = enc.encode(line);
    const cell: Record<string, string> = {};
    starts.forEach((c, i) => {
      const end = i + 1 < starts.length ? starts[i + 1]!.at : bytes.length;
      cell[c.name] = dec.decode(bytes.slice(c.at, end)).trim();
    });
    // The name column is cut before the next header's offset: a name wider than the header's
    // padding cannot be, since lxc-ls pads every column to its widest value.
    const pid = dash(cell.PID ?? '');
    const ram = /^(\d+(?:\.\d+)?)MB$/.exec(cell.RAM ?? '');
    return {
      name: cell.NAME ?? '',
      toolState: cell.STATE ?? '',
      state: lxcState(cell.STATE ?? ''),
      pid: pid && /^\d+$/.test(pid) ? Number(pid) : undefined,
      memUsedKiB: ram ? Math.round(Number(ram[1]) * 1024) : undefined,
      autostart: cell.AUTOSTART === '1' || cell.AUTOSTART === 'YES',
      ipv4: list(cell.IPV4 ?? ''),
      ipv6: list(cell.IPV6 ?? ''),
      unprivileged: cell.UNPRIVILEGED === 'true' ? true : cell.UNPRIVILEGED === 'false' ? false : undefined,
    };
  });
}

export interface LxcInfo {
  state?: string;
  pid?: number;
  /** nanoseconds of CPU time (cpuacct.usage) */
  cpuNs?: number;
  memoryBytes?: number;
  kmemBytes?: number;
  ipv4: string[];
  ipv6: string[];
}

/** `lxc-info -n NAME -H`: "Key:   value" lines, raw figures; `IP:` repeats per address. */
export function parseLxcInfo(out: string): LxcInfo {
  const info: LxcInfo = { ipv4: [], ipv6: [] };
  const num = (v: string) => (/^\d+$/.test(v) ? Number(v) : undefined);
  for (const line of out.split('\n')) {
    const m = /^([A-Za-z ]+):\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'State') info.state = value;
    else if (key === 'PID') info.pid = num(value);
    else if (key === 'CPU use') info.cpuNs = num(value);
    else if (key === 'Memory use') info.memoryBytes = num(value);
    else if (key === 'KMem use') info.kmemBytes = num(value);
    else if (key === 'IP') (value.includes(':') ? info.ipv6 : info.ipv4).push(value);
  }
  return info;
}

/** `lxc-info -n NAME -c KEY -c KEY…`: "key = value" lines (an unset key prints "key ="). */
export function parseLxcInfoKeys(out: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^(lxc\.[A-Za-z0-9_.]+)\s*=\s?(.*)$/.exec(line);
    if (m) keys[m[1]!] = m[2]!.trim();
  }
  return keys;
}
