// A QMP reply as `virsh qemu-monitor-command` prints it: {"return": …, "id": "libvirt-N"} or
// {"error": {"class": …, "desc": …}}. Pure: the backend runs the command, this reads its text.

/** QEMU refused the command (its own class and words, e.g. CommandNotFound). */
export class QmpError extends Error {
  constructor(
    readonly qmpClass: string,
    desc: string,
  ) {
    super(`QEMU: ${desc} (${qmpClass})`);
    this.name = 'QmpError';
  }
}

/** The "return" of a reply; QEMU's error as a QmpError; anything else is an Error saying so. */
export function qmpReturn(text: string): unknown {
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    throw new Error(`not a QMP reply: ${text.trim().slice(0, 120) || '(empty)'}`);
  }
  if (!isObject(reply)) throw new Error('not a QMP reply: not an object');
  if (isObject(reply.error)) throw new QmpError(String(reply.error.class ?? 'GenericError'), String(reply.error.desc ?? 'no description'));
  if (!('return' in reply)) throw new Error('not a QMP reply: no "return"');
  return reply.return;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function listOf(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`QMP ${what}: expected a list`);
  return v;
}

/** The names `query-commands` lists: what this QEMU offers (x-… commands come and go by version). */
export function commandNames(ret: unknown): Set<string> {
  const out = new Set<string>();
  for (const c of listOf(ret, 'query-commands')) if (isObject(c) && typeof c.name === 'string') out.add(c.name);
  return out;
}
