import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContainerStatsSampler, containerStats, parseContainerInfo, parseCpuTimeNs } from './container-stats.js';

// virsh 9.0's own output for a running LXC container (LC_ALL=C).
const CPU_STATS = 'Total:\n\tcpu_time             0.052379917 seconds\n\tuser_time            0.010000000 seconds\n\tsystem_time          0.030000000 seconds\n';
const DOMINFO = 'Id:             12345\nName:           box-1\nUUID:           8f1c2a3e-1111-2222-3333-444455556666\nOS Type:        exe\nState:          running\nCPU(s):         1\nCPU time:       0.1s\nMax memory:     65536 KiB\nUsed memory:    1236 KiB\nPersistent:     yes\nAutostart:      disable\nManaged save:   unknown\nSecurity model: none\nSecurity DOI:   0\n';

afterEach(() => vi.useRealTimers());

describe('container figures from the cgroup calls libvirt LXC implements', () => {
  it('reads cpu_time to the nanosecond and the memory cgroup usage', () => {
    expect(parseCpuTimeNs(CPU_STATS)).toBe(52_379_917);
    expect(parseCpuTimeNs('Total:\n\tcpu_time 12 seconds\n')).toBe(12e9);
    expect(parseCpuTimeNs('error: nothing')).toBeUndefined();
    expect(parseContainerInfo(DOMINFO)).toEqual({ memUsedKiB: 1236, vcpus: 1 });
  });

  it('takes libvirt\'s 0 KiB (no memory cgroup to read) as no figure, not as zero', () => {
    expect(parseContainerInfo(DOMINFO.replace('1236 KiB', '0 KiB')).memUsedKiB).toBeUndefined();
  });

  it('CPU % from the counters\' delta over the container\'s CPUs; disk and network marked unreported', () => {
    const first = containerStats(new Map([['box-1', { cpuNs: 1e9, memUsedKiB: 900, vcpus: 2 }]]), 10_000, new Map());
    expect(first.stats['box-1']).toEqual({ memUsedKiB: 900, memSource: 'cgroup', unreported: ['disk', 'net'] });
    // 1 s of CPU over 2 s on 2 CPUs: a quarter of them.
    const second = containerStats(new Map([['box-1', { cpuNs: 2e9, memUsedKiB: 950, vcpus: 2 }]]), 12_000, first.counters);
    expect(second.stats['box-1']!.cpuPct).toBeCloseTo(25);
    const unread = containerStats(new Map([['box-1', {}]]), 14_000, second.counters);
    expect(unread.stats['box-1']).toEqual({ unreported: ['cpu', 'disk', 'net', 'memory'] });
  });

  it('asks bulk domstats once; where the driver refuses it, reads each running container', async () => {
    const calls: string[] = [];
    const virsh = {
      run: async (args: readonly string[]) => {
        calls.push(args[0]!);
        if (args[0] === 'domstats') throw new Error('this function is not supported by the connection driver: virConnectGetAllDomainStats');
        return args[0] === 'cpu-stats' ? CPU_STATS : DOMINFO;
      },
    };
    const sampler = new ContainerStatsSampler(virsh, () => ['box-1']);
    vi.useFakeTimers({ now: 1_000_000 });
    const a = await sampler.sample();
    vi.setSystemTime(1_002_000);
    const b = await sampler.sample();
    expect(calls.filter((c) => c === 'domstats')).toHaveLength(1);
    expect(calls.filter((c) => c === 'cpu-stats')).toHaveLength(2);
    expect(a.stats['box-1']!.memUsedKiB).toBe(1236);
    expect(b.stats['box-1']!.cpuPct).toBe(0);
  });

  it('a failed link is not taken for a missing call: the next sample asks domstats again', async () => {
    let n = 0;
    const virsh = { run: async () => (n++ === 0 ? Promise.reject(new Error('the SSH channel closed')) : "Domain: 'box-1'\n  state.state=1\n  cpu.time=5\n") };
    const sampler = new ContainerStatsSampler(virsh, () => ['box-1']);
    await expect(sampler.sample()).rejects.toThrow('SSH');
    expect((await sampler.sample()).stats['box-1']).toEqual({});
  });
});
