// A live migration: the source host's virsh migrates the VM to the destination's libvirt over
// libvirt's libssh transport (shared/migration/uri.ts says why that one), logging in with the key
// VirtDeck lends it for that one command (SshSession.execLendingKey, forward-agent.ts) and
// checking the destination's host key against a known_hosts file holding exactly the key VirtDeck
// verified itself — written for the command in a private temporary folder, removed after.
// Progress comes from `domjobinfo --rawstats` on the source; cancel is `domjobabort`, after which
// libvirt leaves the VM running on the source.
import { destinationUri, jobProgress, knownHostsEntry, liveMigrateArgs, type MovePlan, type SourceFacts } from '../../../shared/migration/index.js';
import { UserError } from '../errors.js';
import { virshArgv } from '../libvirt/virsh.js';
import { SshSession } from '../ssh/ssh-session.js';
import type { MoveHost, MoveRun } from './migrations.js';

const POLL_MS = 500;
/** mktemp's folder for the command's known_hosts: private to the login user (umask 077). */
const TEMP_DIR_SCRIPT = 'umask 077 && d=$(mktemp -d /tmp/virtdeck-migrate.XXXXXXXXXX) && cat > "$d/known_hosts" && printf "%s\\n" "$d"';
const TEMP_DIR = /^\/tmp\/virtdeck-migrate\.[A-Za-z0-9]{10}$/;

/** The SSH wire form of a public key: its type (the first string) and the whole blob. */
function keyLine(blob: Buffer): { type: string; base64: string } {
  const len = blob.readUInt32BE(0);
  return { type: blob.subarray(4, 4 + len).toString('latin1'), base64: blob.toString('base64') };
}

/** After a failed or cancelled migration: the volumes libvirt made on the destination for the
 *  copy (the pre-flight saw none of those paths there before) go, unless a VM there uses them. */
async function removeCopies(run: MoveRun, to: MoveHost, vm: string, plan: MovePlan): Promise<void> {
  if ((await to.virsh.run(['domstate', '--domain', vm]).catch(() => null)) !== null) return;
  for (const d of plan.disks.filter((x) => x.storage === 'copy')) {
    const del = ['vol-delete', '--vol', d.path];
    if (await to.virsh.run(del).then(() => true, () => false)) run.ran(to, virshArgv(to.libvirtUri, del));
  }
}

export async function runLive(run: MoveRun, from: MoveHost, to: MoveHost, source: SourceFacts, plan: MovePlan, opts: { autoConverge: boolean; compressed: boolean; bandwidthMiBs?: number }): Promise<void> {
  const src = from.session;
  const dst = to.session;
  if (!(src instanceof SshSession) || !(dst instanceof SshSession)) throw new UserError('unsupported', 'A live migration needs SSH connections to both hosts');
  const hostKey = dst.loginFacts()?.hostKey;
  const address = plan.migrationAddress;
  if (!hostKey || !address) throw new UserError('unsupported', `No route or no verified host key for ${to.label}`);
  const { type, base64 } = keyLine(hostKey);
  const { user, port } = dst.login;

  run.update({ phase: `Giving ${from.label} the host key of ${to.label}` });
  const mk = await src.exec(['sh', '-c', TEMP_DIR_SCRIPT], { stdin: knownHostsEntry(address, port, type, base64) });
  const dir = mk.stdout.trim();
  if (mk.code !== 0 || !TEMP_DIR.test(dir)) throw new Error(`Could not write a known_hosts file on ${from.label}: ${mk.stderr.trim() || `exit ${mk.code}`}`);
  run.ran(from, ['sh', '-c', TEMP_DIR_SCRIPT]);

  let polling = true;
  const poll = async () => {
    while (polling) {
      try {
        const { progress } = jobProgress(await from.virsh.run(['domjobinfo', '--domain', source.vm, '--rawstats']));
        if (polling && progress) run.update({ progress, phase: progress.diskRemaining > 0 ? 'Copying disks and memory' : 'Copying memory' });
      } catch {
        // between jobs, or the VM just left: the next round or the end says
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };
  try {
    const uri = destinationUri({ user, address, port, knownHostsPath: `${dir}/known_hosts` });
    const argv = virshArgv(from.libvirtUri, liveMigrateArgs(source.vm, uri, address, { copyStorage: plan.copyStorage, ...opts }));
    run.ran(from, argv);
    run.cancel = async () => {
      run.update({ phase: 'Cancelling' });
      const abort = ['domjobabort', '--domain', source.vm];
      run.ran(from, virshArgv(from.libvirtUri, abort));
      await from.virsh.run(abort);
    };
    run.update({ phase: plan.copyStorage ? 'Copying disks and memory' : 'Copying memory' });
    void poll();
    const result = await src.execLendingKey(argv);
    polling = false;
    run.cancel = undefined;
    if (result.code !== 0) {
      await removeCopies(run, to, source.vm, plan);
      throw new Error(result.stderr.replace(/^error: /gm, '').trim() || `virsh migrate exited with ${result.code}`);
    }
  } finally {
    polling = false;
    await src.exec(['rm', '-rf', '--', dir]).catch(() => undefined);
  }
  run.update({ phase: `Checking ${to.label}` });
  const state = (await to.virsh.run(['domstate', '--domain', source.vm])).trim();
  if (!/^(running|paused)/.test(state)) throw new Error(`${source.vm} is ${state} on ${to.label} after the migration`);
  // libvirt leaves the source's copy of each copied disk behind: the VM runs on the destination's
  // copy now, so the old one would only be an orphan on the source.
  for (const d of plan.disks.filter((x) => x.storage === 'copy')) {
    const del = ['vol-delete', '--vol', d.path];
    run.ran(from, virshArgv(from.libvirtUri, del));
    await from.virsh.run(del).catch(() => undefined);
  }
}
