// Evacuating a host: every running VM to the other hosts, live, each placed on the host whose
// pre-flight passes with the most free memory left after what was placed there already, and
// moved a few at a time (each move copies its memory and disks over the same links).
import type { MovePlan } from '../../../shared/migration/index.js';

/** Moves at once: more would only share the links and slow each other down. */
export const EVACUATE_AT_ONCE = 2;

export interface Candidate {
  toHostId: string;
  plan: MovePlan;
}

/** Where each VM goes (pure): the largest VMs first, each to the fitting host with most room. */
export function placeVms(vms: ReadonlyArray<{ vm: string; candidates: Candidate[] }>) {
  const used = new Map<string, number>();
  const placed: Array<{ vm: string; toHostId: string }> = [];
  const left: Array<{ vm: string; reason: string }> = [];
  const size = (c: { candidates: Candidate[] }) => c.candidates[0]?.plan.memoryKiB ?? 0;
  for (const { vm, candidates } of [...vms].sort((a, b) => size(b) - size(a))) {
    const fitting = candidates
      .filter((c) => !c.plan.blocked)
      .map((c) => ({ c, room: c.plan.destMemAvailableKiB - (used.get(c.toHostId) ?? 0) - c.plan.memoryKiB }))
      .filter((x) => x.room >= 0)
      .sort((a, b) => b.room - a.room);
    const best = fitting[0];
    if (!best) {
      const why = candidates.map((c) => c.plan.findings.find((f) => f.level === 'block')?.text).filter(Boolean);
      left.push({ vm, reason: why.length ? why.join('; ') : 'No other host has room for it' });
      continue;
    }
    used.set(best.c.toHostId, (used.get(best.c.toHostId) ?? 0) + best.c.plan.memoryKiB);
    placed.push({ vm, toHostId: best.c.toHostId });
  }
  return { placed, left };
}
