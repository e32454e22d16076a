// The tuning page's filters and picks, as plain functions over a scan.
import type { VmFindings } from '../../../shared/tuning';

export interface TuningFilter {
  hostId: string | null;
  kind: string | null;
  state: 'all' | 'running' | 'off';
  os: 'all' | 'windows' | 'other';
  text: string;
}

export const NO_FILTER: TuningFilter = { hostId: null, kind: null, state: 'all', os: 'all', text: '' };

/** VMs with findings that pass the filter (the kind filter keeps VMs with a finding of that kind). */
export function visibleVms(vms: readonly VmFindings[], f: TuningFilter): VmFindings[] {
  const text = f.text.trim().toLowerCase();
  return vms.filter(
    (v) =>
      v.findings.length > 0 &&
      (!f.hostId || v.hostId === f.hostId) &&
      (!f.kind || v.findings.some((x) => x.kind === f.kind)) &&
      (f.state === 'all' || (f.state === 'running') === v.running) &&
      (f.os === 'all' || (f.os === 'windows') === v.windows) &&
      (!text || v.name.toLowerCase().includes(text) || v.hostLabel.toLowerCase().includes(text)),
  );
}

/** One picked finding of one VM, as a string key. */
export const pickKey = (hostId: string, name: string, findingId: string) => JSON.stringify([hostId, name, findingId]);
export const parsePick = (key: string) => {
  const [hostId, name, findingId] = JSON.parse(key) as [string, string, string];
  return { hostId, name, findingId };
};
