// KSM (kernel same-page merging) on a host: its figures as /sys/kernel/mm/ksm shows them, and
// turning it on or off and setting its scan rate. The files belong to root: the connection's
// user must be root or have a sudo rule for `tee` on exactly these files (checked with sudo -n -l
// before anything is written, privilege.ts). A sysfs write lasts until the host reboots; ksmtuned,
// where it runs, rewrites the rate by itself, and the state says so.
import type { KsmChange, KsmState } from '../../../shared/tuning/index.js';
import type { CommandSession } from '../exec/session.js';
import { asRoot, rootAccess } from '../host-admin/privilege.js';
import { UserError } from '../errors.js';

const KSM_DIR = '/sys/kernel/mm/ksm';
const FILES = ['run', 'pages_to_scan', 'sleep_millisecs', 'pages_shared', 'pages_sharing', 'pages_unshared', 'pages_volatile', 'full_scans'] as const;
const WRITABLE = { run: 'run', pagesToScan: 'pages_to_scan', sleepMillisecs: 'sleep_millisecs' } as const satisfies Record<keyof KsmChange, (typeof FILES)[number]>;
const LIMITS: Record<keyof KsmChange, [number, number]> = { run: [0, 1], pagesToScan: [1, 100_000], sleepMillisecs: [1, 60_000] };

/** Fixed text, nothing from the user: `name=value` per file, the page size, and a ksmtuned. */
export const KSM_READ_SCRIPT = [
  `for f in ${FILES.join(' ')}; do printf '%s=' "$f"; cat ${KSM_DIR}/"$f" 2>/dev/null || echo -; done`,
  'printf "pagesize="; getconf PAGESIZE',
  'printf "ksmtuned="; if pgrep -x ksmtuned >/dev/null 2>&1; then echo running; elif command -v ksmtuned >/dev/null 2>&1; then echo installed; else echo; fi',
].join('\n');

const teeArgv = (file: string) => ['tee', `${KSM_DIR}/${file}`];

export function parseKsm(out: string, at: number): Omit<KsmState, 'canWrite' | 'writeRefusal'> {
  const kv = new Map(out.split('\n').flatMap((l) => {
    const m = /^(\w+)=(.*)$/.exec(l.trim());
    return m ? [[m[1]!, m[2]!.trim()] as const] : [];
  }));
  const n = (k: string) => {
    const v = kv.get(k);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
  };
  const pageSizeKiB = (n('pagesize') ?? 4096) / 1024;
  const sharing = n('pages_sharing');
  const tuner = kv.get('ksmtuned');
  return {
    available: n('run') !== null,
    run: n('run'),
    pagesToScan: n('pages_to_scan'),
    sleepMillisecs: n('sleep_millisecs'),
    pagesShared: n('pages_shared'),
    pagesSharing: sharing,
    pagesUnshared: n('pages_unshared'),
    pagesVolatile: n('pages_volatile'),
    fullScans: n('full_scans'),
    savedKiB: sharing === null ? null : sharing * pageSizeKiB,
    pageSizeKiB,
    ...(tuner ? { tuner: `ksmtuned is ${tuner} on this host: it sets the scan rate itself while it runs` } : {}),
    readAt: at,
  };
}

export async function readKsm(session: CommandSession): Promise<KsmState> {
  const out = await session.exec(['sh', '-c', KSM_READ_SCRIPT]);
  const state = parseKsm(out.stdout, Date.now());
  if (!state.available) return { ...state, canWrite: false, writeRefusal: 'This kernel has no KSM (/sys/kernel/mm/ksm is missing).' };
  const access = await rootAccess(session, Object.values(WRITABLE).map(teeArgv));
  return { ...state, canWrite: access.mode !== 'none', ...(access.reason ? { writeRefusal: access.reason } : {}) };
}

/** The checked writes of a change, in a fixed order (the rate before run, so KSM starts with it). */
export function ksmWrites(change: KsmChange): { file: string; value: number }[] {
  const out: { file: string; value: number }[] = [];
  for (const key of ['pagesToScan', 'sleepMillisecs', 'run'] as const) {
    const value = change[key];
    if (value === undefined) continue;
    const [min, max] = LIMITS[key];
    if (!Number.isInteger(value) || value < min || value > max) throw new UserError('invalid-input', `${WRITABLE[key]} must be a whole number from ${min} to ${max}, not ${String(value)}`);
    out.push({ file: WRITABLE[key], value });
  }
  if (!out.length) throw new UserError('invalid-input', 'No KSM setting to change');
  return out;
}

export async function writeKsm(session: CommandSession, change: KsmChange): Promise<KsmState> {
  const writes = ksmWrites(change);
  const access = await rootAccess(session, writes.map((w) => teeArgv(w.file)));
  if (access.mode === 'none') throw new UserError('not-permitted', access.reason ?? 'root access is needed to change KSM');
  for (const w of writes) {
    const r = await session.exec(asRoot(access, teeArgv(w.file)), { stdin: `${w.value}\n` });
    if (r.code !== 0) throw new Error(`${KSM_DIR}/${w.file}: ${r.stderr.trim() || `exit ${r.code}`}`);
  }
  return readKsm(session);
}
