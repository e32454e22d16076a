import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatsPoller } from './stats.js';
import type { Virsh } from './virsh.js';

afterEach(() => vi.useRealTimers());

/** A host whose `domstats` answers after `delayMs`; counts the calls. */
function host(delayMs: number) {
  let calls = 0;
  const virsh = {
    run: (args: readonly string[]) => {
      expect(args[0]).toBe('domstats');
      calls++;
      return new Promise<string>((resolve) => setTimeout(() => resolve("Domain: 'vm'\n  state.state=1\n"), delayMs));
    },
  } as unknown as Virsh;
  return { virsh, calls: () => calls };
}

describe('StatsPoller', () => {
  it('one bulk domstats per host per interval, each host on its own schedule; a slow host delays nobody', async () => {
    vi.useFakeTimers();
    const fast = host(50);
    const slow = host(9_000);
    const other = host(50);
    const samples = { fast: 0, slow: 0, other: 0 };
    const pollers = [
      new StatsPoller(fast.virsh, 2000, () => samples.fast++),
      new StatsPoller(slow.virsh, 2000, () => samples.slow++),
      new StatsPoller(other.virsh, 5000, () => samples.other++),
    ];
    pollers.forEach((p) => p.start());
    await vi.advanceTimersByTimeAsync(20_000);
    // 2 s host: a sample at 0, 2, 4 … 18 s; 5 s host: 0, 5, 10, 15 s; the 9-s host: at 9 and 18 s.
    expect(samples).toEqual({ fast: 10, other: 4, slow: 2 });
    // Never more than one domstats in flight per host: the next is scheduled when one is in.
    expect(slow.calls()).toBe(3);
    // A new interval takes effect from the next sample.
    pollers[0]!.setInterval(10_000);
    const before = samples.fast;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(samples.fast - before).toBe(2);
    pollers.forEach((p) => p.stop());
  });
});
