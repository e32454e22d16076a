// After the first boot, as virt-install does it: the seed leaves the VM's definition as soon as the
// VM has started (the next boot never reads an old seed), and leaves the running VM — and its
// volume is deleted, so no password hash stays in a pool — once the guest says cloud-init has
// finished. That is read from its serial console ("Cloud-init v. … finished", what cloud-init
// prints there), through `virsh console` without --force: a console someone has open is never
// taken, and then (or after GIVE_UP_MS) the running VM keeps the CD-ROM until it stops.
import type { ConsoleChannel } from '../consoles/console-manager.js';
import type { VirshRunner } from '../libvirt/storage-read.js';

/** What cloud-init prints on the console at the end of its last stage. */
export const CLOUD_INIT_FINISHED = /Cloud-init v\. \S+ finished/;
const GIVE_UP_MS = 15 * 60_000;

export interface SeedWatch {
  virsh: VirshRunner;
  /** Opens `virsh console` on a pty of the host's connection. */
  openConsole: (vm: string) => Promise<ConsoleChannel>;
  vm: string;
  target: string;
  seed: { pool: string; volume: string };
  /** Called with what happened. */
  done: (outcome: string) => void;
}

/** Resolves true once the console has printed cloud-init's last line, false when it closed first or timed out. */
export function waitForFinish(channel: ConsoleChannel, ms = GIVE_UP_MS): Promise<boolean> {
  return new Promise((resolve) => {
    let tail = '';
    const end = (ok: boolean) => {
      clearTimeout(timer);
      resolve(ok);
      channel.close();
    };
    const timer = setTimeout(() => end(false), ms);
    channel.on('data', (d: Buffer) => {
      tail = (tail + d.toString('latin1')).slice(-4096);
      if (CLOUD_INIT_FINISHED.test(tail)) end(true);
    });
    channel.once('close', () => end(false));
  });
}

/** Call right after the VM started. Never throws: the outcome goes to `done`. */
export async function detachSeedAfterFirstBoot(w: SeedWatch): Promise<void> {
  const { virsh, vm, target } = w;
  const finished = w.openConsole(vm).then((ch) => waitForFinish(ch), () => false);
  try {
    await virsh.run(['detach-disk', '--domain', vm, '--target', target, '--config']);
  } catch (err) {
    return w.done(`the seed could not be taken out of ${vm}'s definition: ${(err as Error).message}`);
  }
  if (!(await finished)) return w.done(`${vm}'s console did not say cloud-init finished: the running VM keeps its seed CD-ROM until it stops`);
  try {
    await virsh.run(['detach-disk', '--domain', vm, '--target', target, '--live']);
  } catch {
    // A bus that cannot unplug live: at least empty the tray.
    await virsh.run(['change-media', '--domain', vm, '--path', target, '--eject', '--live', '--force']).catch(() => undefined);
  }
  await virsh.run(['vol-delete', '--pool', w.seed.pool, '--vol', w.seed.volume]).then(
    () => w.done(`seed ${w.seed.pool}/${w.seed.volume} detached from ${vm} and deleted after its first boot`),
    (err: Error) => w.done(`seed detached from ${vm}; deleting ${w.seed.pool}/${w.seed.volume} failed: ${err.message}`),
  );
}
