// Writing a domain's config: edits (or a hand-edited XML) checked against what the editor started
// from, defined with `virsh define --validate` (XML on stdin), and applied live where libvirt can.
//
// No lost updates: the persistent XML is read again right before the write and compared with the
// one the edit started from; if someone changed it meanwhile nothing is written and the caller gets
// the difference. (libvirt has no compare-and-swap, so a write landing between our read and our
// define can still slip through; the window is one round trip.)
import type { ApplyResult, VmXml } from '../../../shared/contract/index.js';
import { applyEdits, diffLines, readDomain, type DomainEdit } from '../../../shared/domain-xml/index.js';

/** What this module needs from virsh (the real Virsh, or a fake in tests). */
export interface VirshRunner {
  run(args: readonly string[], options?: { stdin?: string }): Promise<string>;
}

/** A refusal the user can act on (bad input), as opposed to libvirt failing. */
export class DomainEditError extends Error {
  readonly code = 'invalid-input';
}

const QMP_QUERIES = ['query-block', 'query-pci', 'query-balloon', 'query-status'] as const;

/** libvirt's output, compared without regard to indentation, blank lines or line ends. */
export function sameXml(a: string, b: string): boolean {
  return normalize(a) === normalize(b);
}

function normalize(xml: string): string {
  return xml
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
}

export async function getXml(virsh: VirshRunner, name: string): Promise<VmXml> {
  const persistent = await virsh.run(['dumpxml', '--inactive', '--security-info', '--domain', name]);
  const state = (await virsh.run(['domstate', '--domain', name])).trim();
  const running = state === 'running' || state === 'paused' || state === 'in shutdown';
  const live = running ? await virsh.run(['dumpxml', '--security-info', '--domain', name]).catch(() => null) : null;
  return { persistent, live, running };
}

/** Re-read the persistent XML; a conflict result if it is no longer `baseXml`. */
async function checkBase(virsh: VirshRunner, name: string, baseXml: string): Promise<{ current: VmXml; conflict?: ApplyResult }> {
  const current = await getXml(virsh, name);
  if (sameXml(current.persistent, baseXml)) return { current };
  const diff = diffLines(normalizeIndent(baseXml), normalizeIndent(current.persistent));
  return { current, conflict: { status: 'conflict', xml: current, diff } };
}

function normalizeIndent(xml: string): string {
  return xml.replace(/\r\n?/g, '\n').trimEnd();
}

async function define(virsh: VirshRunner, xml: string): Promise<void> {
  // --validate: the host checks the XML against libvirt's schema; a failure leaves the old
  // definition in place and its message goes to the user as it is.
  await virsh.run(['define', '--validate', '/dev/stdin'], { stdin: xml });
}

function edited(baseXml: string, edits: readonly DomainEdit[]): string {
  if (!Array.isArray(edits) || edits.length === 0) throw new DomainEditError('No changes to apply');
  try {
    return applyEdits(baseXml, edits);
  } catch (err) {
    throw new DomainEditError((err as Error).message);
  }
}

export async function applyDomainEdits(
  virsh: VirshRunner,
  p: { name: string; baseXml: string; edits: DomainEdit[] },
): Promise<ApplyResult> {
  // Validate the edits first: bad input is refused before anything is read or written.
  edited(p.baseXml, p.edits);
  const { current, conflict } = await checkBase(virsh, p.name, p.baseXml);
  if (conflict) return conflict;
  const xml = edited(current.persistent, p.edits);
  await define(virsh, xml);
  const { appliedLive, liveErrors } = current.running ? await applyLive(virsh, p.name, current, p.edits) : { appliedLive: [], liveErrors: [] };
  return { status: 'applied', xml: await getXml(virsh, p.name), appliedLive, liveErrors };
}

export async function defineDomainXml(virsh: VirshRunner, p: { name: string; baseXml: string; xml: string }): Promise<ApplyResult> {
  let next: ReturnType<typeof readDomain>;
  let base: ReturnType<typeof readDomain>;
  try {
    next = readDomain(String(p.xml ?? ''));
    base = readDomain(p.baseXml);
  } catch (err) {
    throw new DomainEditError((err as Error).message);
  }
  // define with another name or uuid would create a second VM instead of changing this one.
  if (next.name !== p.name) throw new DomainEditError(`The XML names the VM "${next.name ?? ''}"; renaming is not done here (keep <name>${p.name}</name>)`);
  if (base.uuid && next.uuid !== base.uuid) throw new DomainEditError(`The XML has another <uuid> (${next.uuid ?? 'none'}); keep ${base.uuid}`);
  const { conflict } = await checkBase(virsh, p.name, p.baseXml);
  if (conflict) return conflict;
  await define(virsh, p.xml);
  return { status: 'applied', xml: await getXml(virsh, p.name), appliedLive: [], liveErrors: [] };
}

/**
 * The edits libvirt can also make to the running VM. Everything else waits for the next boot
 * (shown as pending). A live change that libvirt refuses is reported, not fatal: the persistent
 * config is already written.
 */
async function applyLive(
  virsh: VirshRunner,
  name: string,
  before: VmXml,
  edits: readonly DomainEdit[],
): Promise<{ appliedLive: string[]; liveErrors: string[] }> {
  const appliedLive: string[] = [];
  const liveErrors: string[] = [];
  const live = before.live ? readDomain(before.live) : null;
  const attempt = async (what: string, args: string[]) => {
    try {
      await virsh.run(args);
      appliedLive.push(what);
    } catch (err) {
      liveErrors.push(`${what}: ${(err as Error).message}`);
    }
  };
  for (const e of edits) {
    switch (e.kind) {
      case 'set-memory': {
        // The balloon target; the maximum is fixed while the VM runs.
        const liveMax = live?.memory.maxKiB ?? null;
        if (liveMax !== null && e.currentKiB > liveMax) {
          liveErrors.push(`memory ${e.currentKiB} KiB: above the running VM's maximum (${liveMax} KiB) until it restarts`);
        } else if (live?.memory.currentKiB !== e.currentKiB) {
          await attempt(`balloon target ${e.currentKiB} KiB`, ['setmem', '--domain', name, '--size', `${e.currentKiB}KiB`, '--live']);
        }
        break;
      }
      case 'set-vcpus':
        if (live?.vcpus.current !== e.current) await attempt(`${e.current} vCPUs`, ['setvcpus', '--domain', name, '--count', String(e.current), '--live']);
        break;
      case 'set-nic-link': {
        const mac = live?.interfaces[e.index]?.mac;
        if (mac) await attempt(`NIC ${e.index + 1} link ${e.state}`, ['domif-setlink', '--domain', name, '--interface', mac, '--state', e.state]);
        break;
      }
      case 'set-title':
        await attempt('title', ['desc', '--domain', name, '--live', '--title', '--new-desc', e.title ?? '']);
        break;
      case 'set-description':
        await attempt('description', ['desc', '--domain', name, '--live', '--new-desc', e.description ?? '']);
        break;
      default:
        break;
    }
  }
  return { appliedLive, liveErrors };
}

export async function qmpQuery(virsh: VirshRunner, name: string, command: string): Promise<string> {
  if (!(QMP_QUERIES as readonly string[]).includes(command)) {
    throw new DomainEditError(`Only read-only queries are allowed here (${QMP_QUERIES.join(', ')})`);
  }
  return virsh.run(['qemu-monitor-command', '--domain', name, '--pretty', '--cmd', JSON.stringify({ execute: command })]);
}
