import { describe, expect, it } from 'vitest';
import type { MovePlan } from '../../../shared/migration/index.js';
import { placeVms } from './evacuate';

const plan = (memoryKiB: number, destMemAvailableKiB: number, blocked = false): MovePlan => ({
  mode: 'live',
  findings: blocked ? [{ id: 'bridge:br-x', level: 'block', text: 'Bridge br-x does not exist on hv3' }] : [],
  blocked,
  disks: [],
  copyStorage: false,
  migrationAddress: '198.51.100.13',
  coldAdvised: false,
  destMemAvailableKiB,
  memoryKiB,
});

describe('evacuation placement', () => {
  it('places the largest VMs first, each where most memory is left, and says why one stays', () => {
    const r = placeVms([
      { vm: 'small', candidates: [{ toHostId: 'hv1', plan: plan(100, 1000) }, { toHostId: 'hv3', plan: plan(100, 900) }] },
      { vm: 'big', candidates: [{ toHostId: 'hv1', plan: plan(800, 1000) }, { toHostId: 'hv3', plan: plan(800, 900) }] },
      { vm: 'mid', candidates: [{ toHostId: 'hv1', plan: plan(300, 1000) }, { toHostId: 'hv3', plan: plan(300, 900) }] },
      { vm: 'stuck', candidates: [{ toHostId: 'hv1', plan: plan(10, 1000, true) }] },
      { vm: 'huge', candidates: [{ toHostId: 'hv1', plan: plan(5000, 1000) }] },
    ]);
    // big → hv1 (200 left there), mid → hv3 (600 left), small → hv3 (500 left vs hv1's 100).
    expect(r.placed).toEqual([
      { vm: 'big', toHostId: 'hv1' },
      { vm: 'mid', toHostId: 'hv3' },
      { vm: 'small', toHostId: 'hv3' },
    ]);
    expect(r.left).toEqual([
      { vm: 'huge', reason: 'No other host has room for it' },
      { vm: 'stuck', reason: 'Bridge br-x does not exist on hv3' },
    ]);
  });
});
