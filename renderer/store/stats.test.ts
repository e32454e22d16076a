import { beforeEach, describe, expect, it } from 'vitest';
import { useStats } from './stats';
import { vmKey } from './vm-ref';

beforeEach(() => useStats.setState({ byVm: {} }));

describe('stats store', () => {
  it("keeps a host's VM figures and its containers' apart, each sample replacing only its own driver's", () => {
    const { apply } = useStats.getState();
    apply({ type: 'host.stats', hostId: 'hv5', at: 1000, stats: { 'box-1': { cpuPct: 10 } } });
    apply({ type: 'host.stats', hostId: 'hv5', at: 1500, driver: 'lxc', stats: { 'box-1': { cpuPct: 90, memUsedKiB: 800, memSource: 'cgroup' } } });
    apply({ type: 'host.stats', hostId: 'hv5', at: 3000, stats: { 'box-1': { cpuPct: 20 } } });
    const byVm = useStats.getState().byVm;
    expect(byVm[vmKey({ hostId: 'hv5', name: 'box-1' })]!.cpu).toEqual([10, 20]);
    expect(byVm[vmKey({ hostId: 'hv5', name: 'box-1', driver: 'lxc' })]!.latest).toEqual({ cpuPct: 90, memUsedKiB: 800, memSource: 'cgroup' });
    // A container gone from the next container sample loses its figures; the VM keeps its.
    apply({ type: 'host.stats', hostId: 'hv5', at: 3500, driver: 'lxc', stats: {} });
    expect(Object.keys(useStats.getState().byVm)).toEqual([vmKey({ hostId: 'hv5', name: 'box-1' })]);
  });
});
