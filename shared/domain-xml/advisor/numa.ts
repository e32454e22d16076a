// Guests larger than one host NUMA cell.

import type { DomainView } from '../types';
import type { Finding, HostFacts } from './types';

/**
 * A VM larger than one host NUMA cell (more vCPUs than a cell has CPUs, or more memory than a cell
 * has) runs with remote memory accesses the guest cannot see. The fix gives the guest a NUMA
 * topology of as many cells as it spans, so its kernel schedules and allocates node-locally. It
 * binds nothing on the host (no numatune nodeset): that always starts, whatever the free memory
 * per node; pinning is the admin's call.
 */
export function numaFinding(view: DomainView, facts: HostFacts): Finding | null {
  const cells = facts.numaCells ?? [];
  if (cells.length < 2 || view.numatune || (view.cpu?.numaCells ?? 0) > 0) return null;
  const cellCpus = Math.max(...cells.map((c) => c.cpus));
  const cellMem = Math.max(...cells.map((c) => c.memoryKiB));
  const vcpus = view.vcpus.max ?? 1;
  const mem = view.memory.maxKiB ?? 0;
  if (vcpus <= cellCpus && mem <= cellMem) return null;
  const spans = Math.min(cells.length, Math.max(Math.ceil(vcpus / cellCpus), Math.ceil(mem / cellMem)));
  const what = [vcpus > cellCpus ? `${vcpus} vCPUs (a cell has ${cellCpus} CPUs)` : null, mem > cellMem ? `${Math.round(mem / 1024)} MiB (a cell has ${Math.round(cellMem / 1024)} MiB)` : null]
    .filter(Boolean)
    .join(' and ');
  const reason =
    `The host has ${cells.length} NUMA cells and this VM needs ${what}, so it spans cells without knowing it: memory on the other cell is slower to reach. ` +
    (vcpus >= spans
      ? `The fix gives the guest ${spans} NUMA cells (vCPUs and memory split evenly) so its kernel keeps work next to its memory; it pins nothing on the host. Not in "Apply all": afterwards memory and vCPU counts are set per cell (XML tab).`
      : `With ${vcpus} vCPU(s) the guest cannot be given ${spans} cells; consider <numatune> interleave in the XML tab.`);
  return {
    id: 'numa',
    title: 'vCPUs or memory spanning NUMA cells',
    reason,
    severity: 'info',
    edits: vcpus >= spans ? [{ kind: 'set-guest-numa', cells: spans }] : [],
    inApplyAll: false,
    fixLabel: `Give the guest ${spans} NUMA cells`,
  };
}
