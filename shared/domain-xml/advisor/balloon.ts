// The memory balloon: a virtio balloon, and its guest memory statistics. While the guest runs the
// statistics period is offered only once QEMU shows the guest's balloon driver ready (DRIVER_OK):
// without the driver nothing would ever report. A period already set with no driver behind it is
// said too, since the memory figures then stay empty.

import { VIRTIO_BALLOON_DRIVER, VIRTIO_MEMBALLOON_MODELS } from '../devices/balloon';
import { guestDriverHint } from '../devices/guest-driver';
import type { DomainView } from '../types';
import { STATE_WORDS, bitsOf, gate } from './gate';
import type { Finding, GuestDriverProof } from './types';

/** Seconds between the balloon's guest memory reports: often enough for a live graph. */
const BALLOON_STATS_PERIOD_S = 5;

export function balloonFindings(view: DomainView, proof: GuestDriverProof | undefined, windows: boolean): Finding[] {
  const b = view.memballoon;
  if (!b || !b.model || !(VIRTIO_MEMBALLOON_MODELS as readonly string[]).includes(b.model)) {
    return [
      {
        id: 'memballoon',
        title: b?.model === 'none' || !b ? 'No memory balloon' : `Memory balloon model ${b.model}`,
        reason: 'A virtio balloon lets the host take back unused guest memory and change it while the VM runs, and reports guest memory statistics.',
        severity: 'info',
        edits: [
          { kind: 'set-memballoon-model', model: 'virtio' },
          { kind: 'set-memballoon-stats-period', periodS: BALLOON_STATS_PERIOD_S },
        ],
        inApplyAll: true,
      },
    ];
  }
  const g = proof ? gate(proof, (ref) => ref.tag === 'memballoon') : null;
  const hint = guestDriverHint(VIRTIO_BALLOON_DRIVER, windows);
  const notStarted = g?.kind === 'waiting' ? g.device : null;
  if (b.statsPeriodS) {
    if (!notStarted) return [];
    return [
      {
        id: 'memballoon-driver',
        title: `The balloon reports no statistics: it has ${STATE_WORDS[notStarted.state]} in the guest`,
        reason: `Statistics are asked for every ${b.statsPeriodS} s, but QEMU says the guest has not started its balloon driver (${bitsOf(notStarted)}), so the guest's memory figures stay empty. To get them, ${hint}.`,
        severity: 'warn',
        edits: [],
        inApplyAll: false,
      },
    ];
  }
  const what = `With a period of ${BALLOON_STATS_PERIOD_S} s the balloon driver reports used, free and cached memory; it is applied live too.`;
  const base = { id: 'memballoon-stats', edits: [{ kind: 'set-memballoon-stats-period' as const, periodS: BALLOON_STATS_PERIOD_S }] };
  if (notStarted) {
    return [
      {
        ...base,
        title: `The memory balloon reports no guest statistics, and it has ${STATE_WORDS[notStarted.state]} in the guest`,
        reason: `Not set yet: QEMU says the guest has not started its balloon driver (${bitsOf(notStarted)}), so it would report nothing. To go on, ${hint}; this follows the balloon's state live and offers the statistics once it shows DRIVER_OK.`,
        severity: 'warn',
        edits: [],
        inApplyAll: false,
      },
    ];
  }
  const proven = g?.kind === 'ready' ? ' The guest\'s balloon driver is ready (QEMU: DRIVER_OK).' : g ? ' Whether the guest\'s balloon driver runs is unknown here: if it does, the figures appear within a period.' : '';
  return [
    {
      ...base,
      title: 'The memory balloon reports no guest statistics',
      reason: `Without a statistics period the guest never says how much memory it uses, so only QEMU's process size (guest RAM it touched plus QEMU's own) can be shown. ${what}${proven}`,
      severity: 'info',
      inApplyAll: !g || g.kind === 'ready',
    },
  ];
}
