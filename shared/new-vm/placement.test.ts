import { describe, expect, test } from 'vitest';
import { rankPlacement, scoreHost, type PlacementHost, type PlacementNeed } from './placement';

const GiB = 2 ** 30;
const host = (over: Partial<PlacementHost> & { hostId: string }): PlacementHost => ({
  label: over.hostId, memoryKiB: 8 << 20, memoryFreeKiB: 4 << 20, cpus: 4, vcpusRunning: 0, storageFreeBytes: 100 * GiB, kvm: true, ...over,
});
const need: PlacementNeed = { memoryMiB: 2048, vcpus: 2, diskBytes: 16 * GiB, poolKind: 'dir' };

describe('placement of a new VM', () => {
  test('KVM outweighs a little more free memory', () => {
    const { best, ranked } = rankPlacement([host({ hostId: 'tcg', kvm: false, memoryFreeKiB: 6 << 20 }), host({ hostId: 'kvm' })], need);
    expect(best).toBe('kvm');
    expect(ranked.map((r) => r.hostId)).toEqual(['kvm', 'tcg']);
    expect(ranked[1]!.notes).toContain('no KVM: TCG emulation');
  });

  test('among equal hosts, the one with more memory left and fewer vCPUs running wins', () => {
    const { best } = rankPlacement([host({ hostId: 'busy', vcpusRunning: 12 }), host({ hostId: 'idle', memoryFreeKiB: 6 << 20 })], need);
    expect(best).toBe('idle');
    const busy = scoreHost(host({ hostId: 'busy', vcpusRunning: 12 }), need);
    expect(busy.loadAfter).toBe(3.5);
    expect(busy.notes).toContain('3.5 vCPUs per CPU with it');
  });

  test('a host without the memory or without room in a pool of the kind never is the suggestion, and says why', () => {
    const small = scoreHost(host({ hostId: 'small', memoryFreeKiB: 1 << 20 }), need);
    expect(small).toMatchObject({ fits: false, score: 0 });
    expect(small.notes).toContain('only 1024 MiB free of the 2048 MiB it needs');
    const full = scoreHost(host({ hostId: 'full', storageFreeBytes: 4 * GiB }), need);
    expect(full.fits).toBe(false);
    expect(full.notes).toContain('its dir pools have 4.0 GiB free, the disk needs 16.0 GiB');
    const none = scoreHost(host({ hostId: 'none', storageFreeBytes: null }), need);
    expect(none.notes).toContain('no active dir pool');
    const { best, ranked } = rankPlacement([host({ hostId: 'small', memoryFreeKiB: 1 << 20, kvm: true }), host({ hostId: 'slow', kvm: false })], need);
    expect(best).toBe('slow');
    expect(ranked.at(-1)!.hostId).toBe('small');
  });

  test('storage does not count without a new disk; no fit anywhere gives no suggestion', () => {
    expect(scoreHost(host({ hostId: 'x', storageFreeBytes: null }), { ...need, diskBytes: 0 }).fits).toBe(true);
    expect(rankPlacement([host({ hostId: 'a', memoryFreeKiB: 0 })], need).best).toBeUndefined();
  });

  test('equal hosts keep a stable order by name', () => {
    expect(rankPlacement([host({ hostId: 'hv3' }), host({ hostId: 'hv1' })], need).ranked.map((r) => r.hostId)).toEqual(['hv1', 'hv3']);
  });
});
