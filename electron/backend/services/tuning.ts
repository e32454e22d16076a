// Fleet-wide tuning (electron/backend/tuning/): scan the online hosts, plan picked findings,
// apply or undo a plan as one run (progress as 'tuning.progress' events), and KSM per host.
import type { Service } from '../dispatch.js';
import { UserError } from '../errors.js';
import type { HostConnection } from '../hosts/host-connection.js';
import { readKsm, writeKsm } from '../tuning/ksm.js';
import { TuningRuns } from '../tuning/runner.js';
import { planPicks, scanFleet, type ScanHost } from '../tuning/scan.js';
import type { ServiceContext } from './context.js';

export type TuningMethod = 'tuning.scan' | 'tuning.plan' | 'tuning.apply' | 'tuning.cancel' | 'tuning.undo' | 'tuning.runs' | 'host.ksm' | 'host.setKsm';

export function tuningService({ registry, emit }: ServiceContext): Service<TuningMethod> {
  const scanHost = (h: HostConnection): ScanHost => ({ id: h.id, label: h.label, virsh: h.virsh(), vms: h.vms });
  const online = (ids?: readonly string[]) =>
    registry
      .all()
      .filter((h) => (!ids || ids.includes(h.id)) && h.status().state === 'online')
      .map(scanHost);
  const runs = new TuningRuns((hostId) => {
    const h = registry.get(hostId);
    return { label: h.label, virsh: h.virsh() };
  }, (run) => emit({ type: 'tuning.progress', run }));
  const known = (runId: string) => {
    if (!runs.list().some((r) => r.runId === runId)) throw new UserError('not-found', `No tuning run ${runId} in this session`);
  };
  return {
    'tuning.scan': async ({ hostIds }) => scanFleet(online(hostIds)),
    'tuning.plan': async ({ picks }) => planPicks(online(), picks),
    'tuning.apply': async ({ title, items, options }) => {
      if (!items.length) throw new UserError('invalid-input', 'The plan is empty');
      for (const i of items) registry.get(i.hostId);
      return { runId: runs.apply(title ?? `Tuning plan: ${items.length} VM${items.length === 1 ? '' : 's'}`, items, options) };
    },
    'tuning.cancel': async ({ runId }) => {
      known(runId);
      runs.cancel(runId);
      return null;
    },
    'tuning.undo': async ({ runId, restart }) => {
      known(runId);
      try {
        return { runId: runs.undo(runId, restart) };
      } catch (err) {
        throw new UserError('invalid-input', (err as Error).message);
      }
    },
    'tuning.runs': async () => runs.list(),
    'host.ksm': async ({ hostId }) => readKsm(registry.get(hostId).session()),
    'host.setKsm': async ({ hostId, change }) => writeKsm(registry.get(hostId).session(), change),
  };
}
