// A domain's snapshots over virsh: listed from `snapshot-dumpxml` (XML: the tables of
// `snapshot-list --tree/--parent` are translated on a German host), taken with
// `snapshot-create --xmlfile /dev/stdin`, reverted, deleted, and a disk-only external one merged
// back with blockcommit. Every snapshot name follows `--snapshotname`, so none reads as an option.
import type { RevertState, SnapshotInfo, TakeSnapshot, VmSnapshots } from '../../../shared/contract/index.js';
import { buildSnapshot, parseBlockJobRaw, parseLibvirtVersion, parseSnapshotXml, planDomain, planSnapshot, snapshotNameProblem, versionAtLeast } from '../../../shared/snapshots/index.js';
import { XmlDoc, child, text } from '../../../shared/domain-xml/xml/xml-doc.js';
import { UserError } from '../errors.js';
import { domainStateArgs, isActiveState, parseDomainState } from './parse.js';
import type { VirshRunner } from './domain-editor.js';

/** libvirt reverts external snapshots from 9.9.0 on (QEMU driver). */
export const EXTERNAL_REVERT_SINCE = '9.9.0';

const refuse = (message: string) => new UserError('invalid-input', message);
const dom = (name: string) => ['--domain', name];
const snap = (name: string, snapshot: string) => ['--domain', name, '--snapshotname', snapshot];

/** Names, one a line (`snapshot-list --name`); a name is never trimmed, only empty lines drop. */
export async function snapshotNames(virsh: VirshRunner, name: string): Promise<string[]> {
  return (await virsh.run(['snapshot-list', ...dom(name), '--name'])).split('\n').filter((l) => l !== '');
}

async function currentSnapshot(virsh: VirshRunner, name: string, names: readonly string[]): Promise<string | null> {
  if (!names.length) return null;
  // Fails when there is none (e.g. after the current one was deleted).
  const out = await virsh.run(['snapshot-current', ...dom(name), '--name']).catch(() => '');
  const current = out.replace(/\n+$/, '');
  return names.includes(current) ? current : null;
}

export async function listSnapshotInfos(virsh: VirshRunner, name: string): Promise<SnapshotInfo[]> {
  const names = await snapshotNames(virsh, name);
  const current = await currentSnapshot(virsh, name, names);
  return Promise.all(names.map(async (s) => parseSnapshotXml(await virsh.run(['snapshot-dumpxml', ...snap(name, s)]), s === current)));
}

/** What changes when a snapshot is made, reverted or deleted from anywhere: cheap to read often. */
export async function snapshotSignature(virsh: VirshRunner, name: string): Promise<string> {
  const names = await snapshotNames(virsh, name);
  const [current, state] = await Promise.all([currentSnapshot(virsh, name, names), virsh.run(domainStateArgs(name)).then(parseDomainState)]);
  return JSON.stringify([names, current, state]);
}

const versions = new WeakMap<VirshRunner, Promise<string | null>>();
function libvirtVersion(virsh: VirshRunner): Promise<string | null> {
  let v = versions.get(virsh);
  if (!v) {
    v = virsh.run(['version']).then(parseLibvirtVersion, () => null);
    versions.set(virsh, v);
  }
  return v;
}

/** The domain as a snapshot would see it: the live XML while it runs, else the persistent one. */
async function domainNow(virsh: VirshRunner, name: string) {
  const [state, xml] = await Promise.all([virsh.run(domainStateArgs(name)), virsh.run(['dumpxml', ...dom(name)])]);
  const running = isActiveState(parseDomainState(state));
  return { running, xml, facts: planDomain(xml) };
}

/** Whether the guest agent answers (only asked when the VM has an agent channel that is connected). */
async function agentAnswers(virsh: VirshRunner, name: string, liveXml: string): Promise<boolean> {
  if (!/<target type=['"]virtio['"] name=['"]org\.qemu\.guest_agent\.0['"] state=['"]connected['"]/.test(liveXml)) return false;
  return virsh.run(['qemu-agent-command', ...dom(name), '--timeout', '2', '{"execute":"guest-ping"}']).then(
    () => true,
    () => false,
  );
}

export async function vmSnapshots(virsh: VirshRunner, name: string): Promise<VmSnapshots> {
  const [snapshots, now, version] = await Promise.all([listSnapshotInfos(virsh, name), domainNow(virsh, name), libvirtVersion(virsh)]);
  const agent = now.running ? await agentAnswers(virsh, name, now.xml) : false;
  return {
    snapshots,
    current: snapshots.find((s) => s.current)?.name ?? null,
    running: now.running,
    libvirtVersion: version,
    externalRevertRefusal: versionAtLeast(version, EXTERNAL_REVERT_SINCE)
      ? null
      : `Reverting to an external snapshot needs libvirt ${EXTERNAL_REVERT_SINCE} or later; this host has ${version ?? 'an unknown version'}`,
    planWithMemory: planSnapshot(now.facts, { running: now.running, memory: true }),
    planDiskOnly: planSnapshot(now.facts, { running: now.running, memory: false }),
    agent,
  };
}

/** A compact time stamp for overlay file names, UTC: 20261201T113005. */
const fileStamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');

export async function createSnapshot(virsh: VirshRunner, name: string, take: TakeSnapshot, at = new Date()): Promise<void> {
  const problem = snapshotNameProblem(String(take.name ?? ''));
  if (problem) throw refuse(problem);
  const [existing, now] = await Promise.all([snapshotNames(virsh, name), domainNow(virsh, name)]);
  if (existing.includes(take.name)) throw refuse(`${name} already has a snapshot named "${take.name}"`);
  let cmd;
  try {
    cmd = buildSnapshot(now.facts, take, { running: now.running, stamp: fileStamp(at) });
  } catch (err) {
    throw refuse((err as Error).message);
  }
  if (take.quiesce && !(now.running && (await agentAnswers(virsh, name, now.xml)))) throw refuse('Quiesce needs a running guest agent that answers; it does not');
  await virsh.run(['snapshot-create', ...dom(name), '--xmlfile', '/dev/stdin', ...cmd.flags], { stdin: cmd.xml });
}

async function snapshotInfo(virsh: VirshRunner, name: string, snapshot: string): Promise<SnapshotInfo> {
  const names = await snapshotNames(virsh, name);
  if (!names.includes(snapshot)) throw refuse(`${name} has no snapshot named "${snapshot}"`);
  return parseSnapshotXml(await virsh.run(['snapshot-dumpxml', ...snap(name, snapshot)]));
}

export async function revertSnapshot(virsh: VirshRunner, name: string, snapshot: string, state: RevertState): Promise<void> {
  const info = await snapshotInfo(virsh, name, snapshot);
  if (info.location === 'external') {
    const version = await libvirtVersion(virsh);
    if (!versionAtLeast(version, EXTERNAL_REVERT_SINCE)) {
      throw refuse(`"${snapshot}" is an external snapshot: reverting to it needs libvirt ${EXTERNAL_REVERT_SINCE} or later, and this host has ${version ?? 'an unknown version'}`);
    }
  }
  const withMemory = info.memory !== 'no';
  const flag = state === 'running' ? ['--running'] : state === 'paused' || (state === 'stopped' && withMemory) ? ['--paused'] : [];
  await virsh.run(['snapshot-revert', ...snap(name, snapshot), ...flag]);
  if (state === 'stopped' && isActiveState(parseDomainState(await virsh.run(domainStateArgs(name))))) await virsh.run(['destroy', ...dom(name)]);
}

export async function deleteSnapshot(virsh: VirshRunner, name: string, snapshot: string, children: boolean): Promise<void> {
  await snapshotInfo(virsh, name, snapshot);
  await virsh.run(['snapshot-delete', ...snap(name, snapshot), ...(children ? ['--children'] : [])]);
}

export type MergeProgress = (disk: string, pct: number) => void;

const POLL_MS = 250;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Commit a disk-only external snapshot of a running VM back into the images below it: per disk
 *  `blockcommit --active --shallow` (overlay into its backing file), wait for the job to be ready
 *  (`blockjob --raw`, locale-free), pivot; then drop the snapshot's metadata and its overlays. */
export async function mergeBack(virsh: VirshRunner, name: string, snapshot: string, progress: MergeProgress): Promise<string[]> {
  const info = await snapshotInfo(virsh, name, snapshot);
  const all = await listSnapshotInfos(virsh, name);
  const external = info.disks.filter((d) => d.snapshot === 'external');
  if (!external.length || info.memory !== 'no') throw refuse(`"${snapshot}" is not a disk-only external snapshot`);
  if (!isActiveState(parseDomainState(await virsh.run(domainStateArgs(name))))) throw refuse(`${name} is not running: merging back commits the disks of a running VM`);
  if (!all.find((s) => s.name === snapshot)?.current || all.some((s) => s.parent === snapshot)) {
    throw refuse(`"${snapshot}" must be the current snapshot with no children: its overlays must be the disks the VM writes to`);
  }
  const live = await virsh.run(['dumpxml', ...dom(name)]);
  for (const d of external) {
    if (d.file && !live.includes(d.file)) throw refuse(`disk ${d.name} no longer writes to ${d.file}`);
  }
  for (const d of external) {
    await virsh.run(['blockcommit', ...dom(name), '--path', d.name, '--active', '--shallow']);
    for (;;) {
      const job = parseBlockJobRaw(await virsh.run(['blockjob', ...dom(name), '--path', d.name, '--raw']));
      if (!job) throw new Error(`The commit of disk ${d.name} ended without becoming ready to pivot`);
      progress(d.name, job.end ? Math.floor((100 * job.cur) / job.end) : 0);
      if (job.end > 0 && job.cur === job.end) break;
      await sleep(POLL_MS);
    }
    await virsh.run(['blockjob', ...dom(name), '--path', d.name, '--pivot']);
    progress(d.name, 100);
  }
  await virsh.run(['snapshot-delete', ...snap(name, snapshot), '--metadata']);
  const left: string[] = [];
  for (const file of external.map((d) => d.file).filter((f): f is string => !!f)) {
    if (!(await deleteFile(virsh, file))) left.push(file);
  }
  return left;
}

/** Refresh every active pool, so files libvirt made outside them (snapshot overlays) are volumes. */
async function refreshPools(virsh: VirshRunner): Promise<void> {
  const pools = (await virsh.run(['pool-list', '--name']).catch(() => '')).split('\n').map((l) => l.trim()).filter(Boolean); // virsh pads the names
  for (const pool of pools) await virsh.run(['pool-refresh', '--pool', pool]).catch(() => undefined);
}

/** Delete a file libvirt knows as a volume; a pool that has not seen it yet is refreshed first. */
export async function deleteFile(virsh: VirshRunner, path: string): Promise<boolean> {
  const del = () => virsh.run(['vol-delete', '--vol', path]).then(() => true, () => false);
  if (await del()) return true;
  await refreshPools(virsh);
  return del();
}

/** The backing path a volume names in `vol-dumpxml` (<backingStore><path>), or null. */
export function parseBackingPath(volXml: string): string | null {
  const store = child(new XmlDoc(volXml).root, 'backingStore');
  return (store && text(child(store, 'path'))?.trim()) || null;
}

/** The files below a disk image: an external snapshot's overlay sits on the image it was taken
 *  of, and so on down to the base. Stops where libvirt knows no volume (outside every pool). */
export async function backingChain(virsh: VirshRunner, path: string): Promise<string[]> {
  const chain: string[] = [];
  let refreshed = false;
  for (let at = path; chain.length < 32; ) {
    let xml = await virsh.run(['vol-dumpxml', '--vol', at]).catch(() => null);
    if (xml === null && !refreshed) {
      refreshed = true;
      await refreshPools(virsh);
      xml = await virsh.run(['vol-dumpxml', '--vol', at]).catch(() => null);
    }
    const next = xml && parseBackingPath(xml);
    if (!next || chain.includes(next)) break;
    chain.push(next);
    at = next;
  }
  return chain;
}
