// Writing a domain's config: edits (or a hand-edited XML) checked against what the editor started
// from, defined with `virsh define --validate` (XML on stdin), and applied live where libvirt can.
//
// No lost updates: the persistent XML is read again right before the write and compared with the
// one the edit started from; if someone changed it meanwhile nothing is written and the caller gets
// the difference. (libvirt has no compare-and-swap, so a write landing between our read and our
// define can still slip through; the window is one round trip.)
import type { ApplyResult, SnapshotFirst, VmXml } from '../../../shared/contract/index.js';
import {
  QMP_QUERIES, applyEdits, canHotplug, deviceCount, deviceXml, diffLines, diskHotplugs, editLiveRule, isHotplugTag, isLiveEdit, readDomain,
  type DomainEdit, type DomainView, type HotplugTag,
} from '../../../shared/domain-xml/index.js';
import type { NewVolume } from '../../../shared/domain-xml/advisor.js';
import { domainStateArgs, isActiveState, parseDomainState } from './parse.js';
import { createSnapshot } from './snapshots.js';

/** What this module needs from virsh (the real Virsh, or a fake in tests). */
export interface VirshRunner {
  run(args: readonly string[], options?: { stdin?: string }): Promise<string>;
}

/** A refusal the user can act on (bad input), as opposed to libvirt failing. */
export class DomainEditError extends Error {
  readonly code = 'invalid-input';
}

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
  const running = isActiveState(parseDomainState(await virsh.run(domainStateArgs(name))));
  const live = running ? await virsh.run(['dumpxml', '--security-info', '--domain', name]).catch(() => null) : null;
  return { persistent, live, running };
}

/** How a driver's domain XML is read (a container's state comes from another call: LXC has no domstats). */
export type XmlReader = (virsh: VirshRunner, name: string) => Promise<VmXml>;

/** Re-read the persistent XML; a conflict result if it is no longer `baseXml`. */
async function checkBase(virsh: VirshRunner, name: string, baseXml: string, read: XmlReader = getXml): Promise<{ current: VmXml; conflict?: ApplyResult }> {
  const current = await read(virsh, name);
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

/** Volumes to create before the define: checked first, so bad input creates nothing. */
function checkVolumes(volumes: unknown): NewVolume[] {
  if (volumes === undefined) return [];
  if (!Array.isArray(volumes)) throw new DomainEditError('newVolumes must be a list');
  return volumes.map((v: NewVolume) => {
    if (typeof v?.pool !== 'string' || v.pool.trim() === '') throw new DomainEditError('a new volume needs a storage pool');
    if (typeof v.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(v.name)) {
      throw new DomainEditError(`invalid volume name '${String(v.name)}' (letters, digits and . _ + - only)`);
    }
    if (!Number.isInteger(v.capacityMiB) || v.capacityMiB < 1) throw new DomainEditError(`invalid volume size '${String(v.capacityMiB)}' MiB`);
    if (v.format !== 'qcow2' && v.format !== 'raw') throw new DomainEditError(`invalid volume format '${String(v.format)}' (qcow2 or raw)`);
    return { pool: v.pool, name: v.name, capacityMiB: v.capacityMiB, format: v.format };
  });
}

/** Checks of the next definition against the host (libvirt/input-checks.ts): refusals throw. */
export type InputGuard = (beforeXml: string, afterXml: string) => Promise<{ refusals: string[]; warnings: string[] }>;

/** Refused: an error naming every reason. Warned and not accepted: the warnings, nothing written. */
async function guarded(guard: InputGuard | undefined, before: string, after: string, accept: boolean | undefined): Promise<ApplyResult | undefined> {
  if (!guard) return undefined;
  const { refusals, warnings } = await guard(before, after);
  if (refusals.length) throw new DomainEditError(refusals.join('\n'));
  if (warnings.length && !accept) return { status: 'confirm', warnings };
  return undefined;
}

export async function applyDomainEdits(
  virsh: VirshRunner,
  p: { name: string; baseXml: string; edits: DomainEdit[]; newVolumes?: NewVolume[]; snapshotFirst?: SnapshotFirst; acceptWarnings?: boolean },
  guard?: InputGuard,
): Promise<ApplyResult> {
  // Validate the edits first: bad input is refused before anything is read or written.
  edited(p.baseXml, p.edits);
  const volumes = checkVolumes(p.newVolumes);
  const { current, conflict } = await checkBase(virsh, p.name, p.baseXml);
  if (conflict) return conflict;
  const xml = edited(current.persistent, p.edits);
  const stop = await guarded(guard, current.persistent, xml, p.acceptWarnings);
  if (stop) return stop;
  // The undo point: taken before anything is written, so a refused snapshot changes nothing.
  if (p.snapshotFirst) await createSnapshot(virsh, p.name, { name: p.snapshotFirst.name, description: p.snapshotFirst.description ?? '', memory: current.running });
  const created: NewVolume[] = [];
  try {
    for (const v of volumes) {
      // --allocation 0: sparse, whatever the format.
      await virsh.run(['vol-create-as', '--pool', v.pool, '--name', v.name, '--capacity', `${v.capacityMiB}M`, '--allocation', '0', '--format', v.format]);
      created.push(v);
    }
    await define(virsh, xml);
  } catch (err) {
    // The define failed (or a later volume could not be made): leave the host as it was.
    for (const v of created) await virsh.run(['vol-delete', '--pool', v.pool, '--vol', v.name]).catch(() => undefined);
    throw err;
  }
  const after = await getXml(virsh, p.name);
  if (!current.running) return { status: 'applied', xml: after, appliedLive: [], liveErrors: [] };
  const { appliedLive, liveErrors } = await applyLive(virsh, p.name, current, after, p.edits);
  return { status: 'applied', xml: appliedLive.length ? await getXml(virsh, p.name) : after, appliedLive, liveErrors };
}

export async function defineDomainXml(virsh: VirshRunner, p: { name: string; baseXml: string; xml: string; acceptWarnings?: boolean }, guard?: InputGuard, read: XmlReader = getXml): Promise<ApplyResult> {
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
  const { conflict, current } = await checkBase(virsh, p.name, p.baseXml, read);
  if (conflict) return conflict;
  const stop = await guarded(guard, current.persistent, p.xml, p.acceptWarnings);
  if (stop) return stop;
  await define(virsh, p.xml);
  return { status: 'applied', xml: await read(virsh, p.name), appliedLive: [], liveErrors: [] };
}

// Which edits reach the running VM (live, hot-plugged, next boot) is each device module's rule in
// shared/domain-xml (editLiveRule, canHotplug); this file carries them out.

/** A device an edit adds or removes, as libvirt's hotplug commands take it. */
type DeviceChange = { op: 'attach' | 'detach'; tag: HotplugTag | 'controller'; what: string; xml: string; retryXml?: string; diskBus?: string | null };

/** Whether the device of `tag` at `pos` in `view` can be plugged in or out live, and its name. */
function hotplugged(view: DomainView, tag: HotplugTag, pos: number): string | null {
  if (!canHotplug(view, tag, pos)) return null;
  switch (tag) {
    case 'interface':
      return `NIC ${view.interfaces[pos]!.mac ?? pos + 1}`;
    case 'disk':
      return `disk ${view.disks[pos]!.target ?? pos + 1}`;
    case 'rng':
      return `RNG ${pos + 1}`;
    case 'input':
      return `${view.inputs[pos]!.type} (${view.inputs[pos]!.bus})`;
    case 'redirdev':
      return `USB redirector ${pos + 1}`;
    case 'hostdev':
      return `host ${view.hostdevs[pos]!.type} device ${pos + 1}`;
  }
}

/** Whether the next-boot device of a kind listed by position is the one the running VM has there. */
function samePositional(tag: 'rng' | 'input' | 'redirdev' | 'hostdev', old: DomainView, live: DomainView, i: number): boolean {
  const pick = (v: DomainView) => {
    switch (tag) {
      case 'rng':
        return v.rngs[i] && [v.rngs[i]!.model, v.rngs[i]!.backend];
      case 'input':
        return v.inputs[i] && [v.inputs[i]!.type, v.inputs[i]!.bus];
      case 'redirdev':
        return v.redirdevs[i] && [v.redirdevs[i]!.bus, v.redirdevs[i]!.type];
      case 'hostdev':
        return v.hostdevs[i] && [v.hostdevs[i]!.type, JSON.stringify(v.hostdevs[i]!.source)];
    }
  };
  const a = pick(old);
  const b = pick(live);
  return Boolean(a && b && a.every((x, k) => x === b[k]));
}

/**
 * The NICs, hot-pluggable disks, RNGs, inputs, USB redirectors and host devices the edits add or remove: added ones as libvirt
 * defined them (with the MAC and PCI address it assigned, so the running VM and the next boot
 * agree), removed ones as the running VM has them (NICs matched by MAC, disks by target, the
 * others by position when the running VM has the same device there).
 */
function deviceChanges(before: VmXml, after: VmXml, edits: readonly DomainEdit[]): DeviceChange[] {
  const out: DeviceChange[] = [];
  // Parsed once: the next boot's devices (what gets attached) and the running ones (detached).
  const defined = readDomain(after.persistent);
  const live = before.live ? readDomain(before.live) : null;
  let xml = before.persistent;
  edits.forEach((e, i) => {
    const next = applyEdits(xml, [e]);
    const rule = editLiveRule(e);
    if (rule.mode === 'hotplug' && e.kind !== 'remove-device') {
      const tag = rule.device;
      let pos = deviceCount(next, tag) - 1;
      // A later removal of the same kind moves it up (or takes it away again).
      for (const later of edits.slice(i + 1)) {
        if (later.kind === 'remove-device' && later.device === tag && later.index !== undefined) {
          if (later.index === pos) pos = -1;
          else if (later.index < pos && pos >= 0) pos--;
        }
      }
      const device = pos >= 0 ? deviceXml(after.persistent, tag, { index: pos }) : null;
      const label = device ? hotplugged(defined, tag, pos) : null;
      if (device && label) {
        out.push({ op: 'attach', tag, what: `${label} attached`, xml: device, retryXml: deviceXml(after.persistent, tag, { index: pos }, { dropAddress: true }) ?? undefined, diskBus: tag === 'disk' ? defined.disks[pos]?.bus : undefined });
      }
    } else if (e.kind === 'remove-device' && isHotplugTag(e.device) && before.live && live) {
      const old = readDomain(xml);
      if (e.device === 'interface') {
        const mac = e.index !== undefined ? old.interfaces[e.index]?.mac : null;
        const device = mac ? deviceXml(before.live, 'interface', { mac }) : null;
        if (device) out.push({ op: 'detach', tag: 'interface', what: `NIC ${mac} detached`, xml: device });
      } else if (e.device === 'disk') {
        const disk = e.target !== undefined ? old.disks.find((d) => d.target === e.target) : e.index !== undefined ? old.disks[e.index] : undefined;
        const liveDisk = disk?.target ? live.disks.find((d) => d.target === disk.target) : undefined;
        const device = liveDisk && diskHotplugs(liveDisk) ? deviceXml(before.live, 'disk', { target: liveDisk.target! }) : null;
        if (device) out.push({ op: 'detach', tag: 'disk', what: `disk ${disk!.target} detached`, xml: device });
      } else if (e.index !== undefined) {
        const same = samePositional(e.device, old, live, e.index);
        const label = same ? hotplugged(live, e.device, e.index) : null;
        const device = label ? deviceXml(before.live, e.device, { index: e.index }) : null;
        if (label && device) out.push({ op: 'detach', tag: e.device, what: `${label} detached`, xml: device });
      }
    }
    xml = next;
  });
  return out;
}

/**
 * A SCSI disk plugged into a running VM needs its controller there first: the SCSI controllers
 * the next boot has (e.g. the virtio-scsi one a SATA→SCSI move or an added SCSI disk brings) and
 * the running VM lacks go in before the disks. A virtio-scsi controller added alone goes in too:
 * the advisor's safe path adds one to see whether the guest drives it before any disk moves.
 */
function withScsiControllersFirst(changes: DeviceChange[], before: VmXml, after: VmXml, edits: readonly DomainEdit[]): DeviceChange[] {
  const scsiAttach = changes.some((c) => c.op === 'attach' && c.diskBus === 'scsi') || edits.some((e) => e.kind === 'add-controller' && e.type === 'scsi' && /^virtio/.test(e.model ?? ''));
  if (!scsiAttach || !before.live) return changes;
  const running = new Set(readDomain(before.live).controllers.filter((c) => c.type === 'scsi').map((c) => c.index ?? 0));
  const controllers = readDomain(after.persistent)
    .controllers.filter((c) => c.type === 'scsi' && !running.has(c.index ?? 0))
    .flatMap((c): DeviceChange[] => {
      const xml = deviceXml(after.persistent, 'controller', { index: c.position });
      const what = `SCSI controller ${c.index ?? 0} (${c.model ?? 'default model'}) attached`;
      return xml ? [{ op: 'attach', tag: 'controller', what, xml, retryXml: deviceXml(after.persistent, 'controller', { index: c.position }, { dropAddress: true }) ?? undefined }] : [];
    });
  return [...controllers, ...changes];
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
  after: VmXml,
  edits: readonly DomainEdit[],
): Promise<{ appliedLive: string[]; liveErrors: string[] }> {
  const appliedLive: string[] = [];
  const liveErrors: string[] = [];
  const live = before.live ? readDomain(before.live) : null;
  const attempt = async (what: string, args: string[], stdin?: string) => {
    try {
      await virsh.run(args, stdin === undefined ? {} : { stdin });
      appliedLive.push(what);
      return true;
    } catch (err) {
      liveErrors.push(`${what}: ${(err as Error).message}`);
      return false;
    }
  };
  for (const e of edits) {
    // Only the edits shared/domain-xml marks live; each of them has its case below.
    if (!isLiveEdit(e)) continue;
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
      case 'set-memballoon-stats-period':
        if (live?.memballoon && live.memballoon.statsPeriodS !== e.periodS) await attempt(`guest memory statistics every ${e.periodS} s`, ['dommemstat', '--domain', name, '--period', String(e.periodS), '--live']);
        break;
      case 'set-vcpus':
        if (live?.vcpus.current !== e.current) await attempt(`${e.current} vCPUs`, ['setvcpus', '--domain', name, '--count', String(e.current), '--live']);
        break;
      case 'set-nic-link': {
        const mac = live?.interfaces[e.index]?.mac;
        if (mac) await attempt(`NIC ${e.index + 1} link ${e.state}`, ['domif-setlink', '--domain', name, '--interface', mac, '--state', e.state]);
        break;
      }
      case 'set-nic-source': {
        // The running NIC (found by its MAC) with the new source: update-device re-plugs its tap.
        const mac = readDomain(before.persistent).interfaces[e.index]?.mac;
        const liveIndex = live?.interfaces.findIndex((n) => mac && n.mac?.toLowerCase() === mac.toLowerCase()) ?? -1;
        if (!before.live || liveIndex < 0) break;
        const what = `NIC ${e.index + 1} on ${e.source.type} ${'network' in e.source ? e.source.network : 'bridge' in e.source ? e.source.bridge : e.source.dev}`;
        let nic: string | null = null;
        try {
          nic = deviceXml(applyEdits(before.live, [{ ...e, index: liveIndex }]), 'interface', { mac: mac! });
        } catch (err) {
          liveErrors.push(`${what}: ${(err as Error).message}`);
        }
        if (nic) await attempt(what, ['update-device', '--domain', name, '--file', '/dev/stdin', '--live'], nic);
        break;
      }
      case 'change-media': {
        // The running CD-ROM as it is now, with the same medium change: update-device swaps it.
        if (!before.live || !live?.disks.some((d) => d.target === e.target)) break;
        let disk: string | null = null;
        try {
          disk = deviceXml(applyEdits(before.live, [e]), 'disk', { target: e.target });
        } catch (err) {
          liveErrors.push(`medium of ${e.target}: ${(err as Error).message}`);
        }
        if (disk) {
          await attempt(e.source ? `medium inserted in ${e.target}` : `medium ejected from ${e.target}`, ['update-device', '--domain', name, '--file', '/dev/stdin', '--live'], disk);
        }
        break;
      }
      case 'set-title':
        await attempt('title', ['desc', '--domain', name, '--live', '--title', '--new-desc', e.title ?? '']);
        break;
      case 'set-description':
        await attempt('description', ['desc', '--domain', name, '--live', '--new-desc', e.description ?? '']);
        break;
      default: {
        const unhandled: never = e;
        liveErrors.push(`${(unhandled as DomainEdit).kind}: not applied to the running VM`);
      }
    }
  }
  for (const c of withScsiControllersFirst(deviceChanges(before, after, edits), before, after, edits)) {
    const args = [c.op === 'attach' ? 'attach-device' : 'detach-device', '--domain', name, '--file', '/dev/stdin', '--live'];
    if (c.op === 'attach' && c.retryXml && c.retryXml !== c.xml) {
      // The slot libvirt chose for the next boot may be taken (or not hot-pluggable) in the
      // running VM: then let it pick a live one.
      try {
        await virsh.run(args, { stdin: c.xml });
        appliedLive.push(c.what);
        continue;
      } catch {
        await attempt(c.what, args, c.retryXml);
        continue;
      }
    }
    await attempt(c.what, args, c.xml);
  }
  return { appliedLive, liveErrors };
}

export async function qmpQuery(virsh: VirshRunner, name: string, command: string): Promise<string> {
  if (!(QMP_QUERIES as readonly string[]).includes(command)) {
    throw new DomainEditError(`Only read-only queries are allowed here (${QMP_QUERIES.join(', ')})`);
  }
  return virsh.run(['qemu-monitor-command', '--domain', name, '--pretty', '--cmd', JSON.stringify({ execute: command })]);
}
