// Restarting a VM onto its new definition: a reboot keeps the same QEMU process (and so the old
// hardware), so the VM is shut down (ACPI; forced off when the guest does not stop in time) and
// started again.
import { domainStateArgs, isActiveState, parseDomainState } from '../libvirt/parse.js';
import type { VirshRunner } from '../libvirt/domain-editor.js';

const SHUTDOWN_WAIT_MS = 45_000;
const POLL_MS = 500;

const running = async (virsh: VirshRunner, name: string) => isActiveState(parseDomainState(await virsh.run(domainStateArgs(name))));

/** Shut `name` down and start it; says how it stopped ("clean shutdown" or "forced off"). */
export async function restartVm(virsh: VirshRunner, name: string, waitMs = SHUTDOWN_WAIT_MS): Promise<string> {
  let how = 'clean shutdown';
  if (await running(virsh, name)) {
    await virsh.run(['shutdown', '--domain', name]).catch(() => undefined);
    const until = Date.now() + waitMs;
    while ((await running(virsh, name)) && Date.now() < until) await new Promise((r) => setTimeout(r, POLL_MS));
    if (await running(virsh, name)) {
      how = 'forced off: the guest did not shut down in time';
      await virsh.run(['destroy', '--domain', name]);
    }
  }
  await virsh.run(['start', '--domain', name]);
  return how;
}
