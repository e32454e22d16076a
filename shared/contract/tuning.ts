// Fleet-wide tuning (shared/tuning holds the scan, the plan and the report): scan the connected
// hosts, plan picked findings, apply or undo a plan as one run whose progress comes as
// 'tuning.progress' events; and the host side of tuning, KSM.
import type { ApplyItem, ApplyOptions, KsmChange, KsmState, RestartPolicy, TuningPick, TuningPlan, TuningRun, TuningScan } from '../tuning';

export type { ApplyItem, ApplyOptions, KsmChange, KsmState, RestartPolicy, TuningPick, TuningPlan, TuningRun, TuningScan } from '../tuning';

export interface TuningMethods {
  /** Every QEMU VM of the given (default: every online) host, its XML and the advisor's findings. */
  'tuning.scan': { params: { hostIds?: string[] }; result: TuningScan };
  /** A plan for the picks, from each VM's persistent XML read again now. */
  'tuning.plan': { params: { picks: TuningPick[] }; result: TuningPlan };
  /** Start applying: one run, a VM at a time per host (perHost side by side), hosts in parallel. */
  'tuning.apply': { params: { title?: string; items: ApplyItem[]; options: ApplyOptions }; result: { runId: string } };
  /** Stop a run: VMs not yet reached are left untouched; those being changed finish. */
  'tuning.cancel': { params: { runId: string }; result: null };
  /** Define every VM a run wrote back to its previous persistent XML (skipping those changed since). */
  'tuning.undo': { params: { runId: string; restart?: RestartPolicy }; result: { runId: string } };
  /** The runs of this session, newest first. */
  'tuning.runs': { params: Record<string, never>; result: TuningRun[] };
  'host.ksm': { params: { hostId: string }; result: KsmState };
  /** Write KSM's run / pages_to_scan / sleep_millisecs (root or sudo -n), then read them back. */
  'host.setKsm': { params: { hostId: string; change: KsmChange }; result: KsmState };
}
