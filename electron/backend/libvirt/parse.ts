// Parsers of virsh's plain-text output.
import type { VmState, VmSummary } from '../../../shared/contract/index.js';

const STATES: VmState[] = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'];

// virDomain*Reason enums, per state, as virsh words them.
const REASONS: Partial<Record<VmState, string[]>> = {
  running: ['unknown', 'booted', 'migrated', 'restored', 'from snapshot', 'unpaused', 'migration canceled', 'save canceled', 'wakeup', 'crashed', 'post-copy', 'post-copy failed'],
  paused: ['unknown', 'user', 'migrating', 'saving', 'dumping', 'I/O error', 'watchdog', 'from snapshot', 'shutting down', 'creating snapshot', 'crashed', 'starting up', 'post-copy', 'post-copy failed', 'api error'],
  shutdown: ['unknown', 'user'],
  shutoff: ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from snapshot', 'daemon'],
  crashed: ['unknown', 'panicked'],
  pmsuspended: ['unknown'],
};

export type DomainStats = Map<string, Map<string, string>>;

/** `virsh domstats --raw …`: blocks of `Domain: 'NAME'` followed by indented `key=value` lines. */
export function parseDomstats(output: string): DomainStats {
  const result: DomainStats = new Map();
  let current: Map<string, string> | undefined;
  for (const line of output.split('\n')) {
    const header = /^Domain: '(.*)'$/.exec(line);
    if (header) {
      current = new Map();
      result.set(header[1]!, current);
      continue;
    }
    const field = /^\s+([^=]+)=(.*)$/.exec(line);
    if (field && current) current.set(field[1]!, field[2]!);
  }
  return result;
}

/** `virsh list --all --uuid --name`: one `UUID NAME` pair per line (the name may hold spaces). */
export function parseUuidNames(output: string): Map<string, string> {
  const byName = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = /^\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s+(.*)$/.exec(line);
    if (m) byName.set(m[2]!, m[1]!);
  }
  return byName;
}

export function stateFromCode(code: number): VmState {
  return STATES[code] ?? 'nostate';
}

/** `virsh domstats --raw --state -- NAME`: one domain's state as libvirt's numeric code, never
 *  virsh's words (`domstate` prints "running"/"laufend" by locale). `--` keeps a name that
 *  starts with a dash a name. */
export const domainStateArgs = (name: string): string[] => ['domstats', '--raw', '--state', '--', name];

/** The state in domainStateArgs' output; throws when it holds none (no such domain). */
export function parseDomainState(output: string): VmState {
  const code = [...parseDomstats(output).values()][0]?.get('state.state');
  if (code === undefined || !/^\d+$/.test(code)) throw new Error(`No domain state in: ${output.trim() || '(nothing)'}`);
  return stateFromCode(Number(code));
}

/** The states in which the editor treats a domain as running (its live XML and live changes apply). */
export const isActiveState = (state: VmState): boolean => state === 'running' || state === 'blocked' || state === 'paused' || state === 'shutdown';

export function reasonFromCode(state: VmState, code: number): string | undefined {
  return REASONS[state]?.[code];
}

/** Merge the two listings into the host's VM summaries, sorted by name. */
export function toVmSummaries(hostId: string, uuids: Map<string, string>, stats: DomainStats): VmSummary[] {
  const vms: VmSummary[] = [];
  for (const [name, fields] of stats) {
    const uuid = uuids.get(name);
    if (!uuid) continue; // defined between the two commands; the next refresh has it
    const state = stateFromCode(Number(fields.get('state.state')));
    const num = (key: string) => (fields.has(key) ? Number(fields.get(key)) : undefined);
    vms.push({
      hostId,
      uuid,
      name,
      state,
      reason: reasonFromCode(state, Number(fields.get('state.reason'))),
      vcpus: num('vcpu.current'),
      memoryKiB: num('balloon.current') ?? num('balloon.maximum'),
    });
  }
  return vms.sort((a, b) => a.name.localeCompare(b.name));
}

/** `virsh event --all --loop` prints e.g. `event 'lifecycle' for domain 'vm1': Started Booted`.
 *  Returns the domain name of a line that reports an event, else undefined. */
export function parseEventLine(line: string): { event: string; domain: string } | undefined {
  const m = /^event '([^']+)' for domain '(.*)'(?::|$)/.exec(line);
  return m ? { event: m[1]!, domain: m[2]! } : undefined;
}

/** `Key:   value` lines, as `virsh dominfo`, `nodeinfo` and friends print them. */
export function parseKeyValues(output: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) fields[m[1]!.trim()] = m[2]!.trim();
  }
  return fields;
}

/** State words `virsh list` prints in its State column. */
const LIST_STATE_WORDS = ['running', 'idle', 'paused', 'in shutdown', 'shut off', 'crashed', 'pmsuspended', 'no state'];

/** Titles from `virsh -q list --all --title` (a table: Id, Name, State, Title). virsh cannot
 *  print titles with uuids, and names may hold spaces, so each row is matched against the names
 *  the host already reported (longest first), then a known state word; the rest is the title. */
export function parseTitles(table: string, names: Iterable<string>): Map<string, string> {
  const byLength = [...names].sort((a, b) => b.length - a.length);
  const titles = new Map<string, string>();
  for (const line of table.split('\n')) {
    const rest = line.replace(/^\s*(?:\d+|-)\s+/, '');
    const name = byLength.find((n) => rest.startsWith(`${n} `));
    if (!name) continue;
    const afterName = rest.slice(name.length).trimStart();
    const state = LIST_STATE_WORDS.find((w) => afterName.startsWith(w));
    const title = state ? afterName.slice(state.length).trim() : '';
    if (title) titles.set(name, title);
  }
  return titles;
}
