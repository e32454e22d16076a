import { describe, expect, it } from 'vitest';
import type { VmSummary } from '../../../shared/contract/index.js';
import { keepNewerEventStates } from './inventory.js';
import { capabilitiesOfferKvm, parseHostLoad, parseNumaCells, parseSections } from './host-info.js';
import { lifecycleEventState, parseDomblklist, undefineArgv, VIRSH_ACTIONS } from './lifecycle.js';
import { parseDomstats } from './parse.js';
import { computeStats } from './stats.js';

const sample = (cpuNs: number, rd: number, rx: number) =>
  parseDomstats(`Domain: 'web 1'
  state.state=1
  cpu.time=${cpuNs}
  vcpu.current=2
  balloon.current=131072
  balloon.unused=31072
  block.count=2
  block.0.rd.bytes=${rd}
  block.0.wr.bytes=0
  block.1.rd.bytes=${rd}
  block.1.wr.bytes=0
  net.count=1
  net.0.rx.bytes=${rx}
  net.0.tx.bytes=0

Domain: 'off'
  state.state=5
`);

describe('computeStats', () => {
  it('turns counter deltas into per-second rates and CPU % over all vCPUs', () => {
    const first = computeStats(sample(1e9, 0, 0), 1000, new Map());
    expect(first.stats['web 1']).toEqual({ memUsedKiB: 100000, memSource: 'guest' });
    expect(first.stats.off).toEqual({});
    const second = computeStats(sample(2e9, 1024, 4096), 3000, first.counters);
    // 1 s of CPU over 2 s on 2 vCPUs = 25 %
    expect(second.stats['web 1']).toEqual({ memUsedKiB: 100000, memSource: 'guest', cpuPct: 25, diskReadBps: 1024, diskWriteBps: 0, netRxBps: 2048, netTxBps: 0 });
  });

  it("falls back to QEMU's process size, and says so, when the guest reports no memory statistics", () => {
    const noStats = parseDomstats("Domain: 'bare'\n  state.state=1\n  balloon.current=131072\n  balloon.rss=210000\n");
    expect(computeStats(noStats, 1000, new Map()).stats.bare).toEqual({ memUsedKiB: 210000, memSource: 'qemu' });
    const nothing = parseDomstats("Domain: 'none'\n  state.state=1\n");
    expect(computeStats(nothing, 1000, new Map()).stats.none).toEqual({});
  });

  it('guest statistics count only while they are new: a boot-time leftover is not a live figure', () => {
    const at = (update: number) => parseDomstats(`Domain: 'g'\n  state.state=1\n  balloon.current=131072\n  balloon.unused=31072\n  balloon.rss=210000\n  balloon.last-update=${update}\n`);
    const t0 = 1_800_000_000_000;
    // Before the driver loads QEMU says 0; then its one report as it loaded, never renewed (no
    // statistics period): QEMU's size all along.
    const booting = computeStats(at(0), t0 - 2000, new Map());
    expect(booting.stats.g).toMatchObject({ memSource: 'qemu' });
    const first = computeStats(at(t0 / 1000 - 1), t0, booting.counters);
    expect(first.stats.g).toMatchObject({ memUsedKiB: 210000, memSource: 'qemu' });
    const stillStale = computeStats(at(t0 / 1000 - 1), t0 + 2000, first.counters);
    expect(stillStale.stats.g).toMatchObject({ memSource: 'qemu' });
    // Statistics switched on: the timestamp moves, and the guest's own figure shows.
    const live = computeStats(at(t0 / 1000 + 3), t0 + 4000, stillStale.counters);
    expect(live.stats.g).toMatchObject({ memUsedKiB: 100000, memSource: 'guest' });
    // Reports stop again: the figure stays the guest's for two minutes, then is QEMU's again.
    let c = live.counters;
    for (let t = t0 + 6000; t <= t0 + 122_000; t += 2000) c = computeStats(at(t0 / 1000 + 3), t, c).counters;
    expect(computeStats(at(t0 / 1000 + 3), t0 + 124_000, c).stats.g).toMatchObject({ memSource: 'qemu' });
  });

  it('gives no rate when a counter went backwards (the VM restarted)', () => {
    const first = computeStats(sample(5e9, 5000, 5000), 1000, new Map());
    const second = computeStats(sample(1e9, 0, 0), 3000, first.counters);
    expect(second.stats['web 1']!.cpuPct).toBeUndefined();
    expect(second.stats['web 1']!.diskReadBps).toBeUndefined();
  });
});

describe('lifecycle', () => {
  it('names the domain after --domain, so a name cannot be an option', () => {
    expect(VIRSH_ACTIONS.shutdown('--help')).toEqual(['shutdown', '--domain', '--help', '--mode', 'acpi']);
    expect(VIRSH_ACTIONS['autostart-off']('a b')).toEqual(['autostart', '--domain', 'a b', '--disable']);
  });

  it('undefines with managed save, snapshot metadata, NVRAM and the chosen storage', () => {
    expect(undefineArgv('vm', ['vda', 'vdb'])).toEqual(['undefine', '--domain', 'vm', '--managed-save', '--snapshots-metadata', '--checkpoints-metadata', '--nvram', '--storage', 'vda,vdb']);
    expect(undefineArgv('vm', [])).not.toContain('--storage');
  });

  it('parses domblklist --details, empty drives without a source', () => {
    const out = ` Type   Device   Target   Source
------------------------------------------------------------------
 file   disk     sda      /var/lib/libvirt/images/my disk.qcow2
 file   cdrom    sdb      -
`;
    expect(parseDomblklist(out)).toEqual([
      { type: 'file', device: 'disk', target: 'sda', source: '/var/lib/libvirt/images/my disk.qcow2' },
      { type: 'file', device: 'cdrom', target: 'sdb', source: undefined },
    ]);
  });

  it('reads the new state from an event line', () => {
    expect(lifecycleEventState("event 'lifecycle' for domain 'a': b': Stopped Destroyed")).toEqual({ domain: "a': b", state: 'shutoff', reason: 'destroyed' });
    expect(lifecycleEventState("event 'lifecycle' for domain 'x': Started Booted")).toEqual({ domain: 'x', state: 'running', reason: 'booted' });
    expect(lifecycleEventState("event 'lifecycle' for domain 'x': Defined Updated")).toBeUndefined();
    expect(lifecycleEventState("event 'reboot' for domain 'x'")).toBeUndefined();
  });
});

describe('host info parsers', () => {
  it('splits the probe script output into sections', () => {
    expect(parseSections('@flags\n@modules\nkvm_intel \nkvm \n@devkvm\nmissing\n@end\n')).toEqual({ flags: [], modules: ['kvm_intel', 'kvm'], devkvm: ['missing'], end: [] });
  });

  it('reads NUMA cells and whether libvirt offers KVM', () => {
    const caps = `<capabilities><host><topology><cells num='2'>
      <cell id='0'><memory unit='KiB'>1000</memory><cpus num='2'><cpu id='0'/><cpu id='1'/></cpus></cell>
      <cell id='1'><memory unit='KiB'>2000</memory><cpus num='1'><cpu id='2'/></cpus></cell>
    </cells></topology></host><guest><arch name='x86_64'><domain type='qemu'/><domain type='kvm'/></arch></guest></capabilities>`;
    expect(parseNumaCells(caps)).toEqual([
      { id: 0, memoryKiB: 1000, cpus: [0, 1] },
      { id: 1, memoryKiB: 2000, cpus: [2] },
    ]);
    expect(capabilitiesOfferKvm(caps)).toBe(true);
    expect(capabilitiesOfferKvm("<guest><domain type='qemu'/></guest>")).toBe(false);
  });
});

describe('host load', () => {
  it('computes CPU busy % between /proc/stat samples and memory in use', () => {
    const a = parseHostLoad('cpu  100 0 100 800 0 0 0 0 0 0\nMemTotal:  1000 kB\nMemAvailable:  400 kB\n');
    expect(a.load).toEqual({ memTotalKiB: 1000, memUsedKiB: 600 });
    const b = parseHostLoad('cpu  150 0 150 900 0 0 0 0 0 0\nMemTotal:  1000 kB\nMemAvailable:  500 kB\n', a.cpu);
    expect(b.load.cpuPct).toBe(50);
  });
});

describe('inventory listing vs lifecycle events', () => {
  const vm = (name: string, state: VmSummary['state'], reason?: string): VmSummary => ({ hostId: 'h', uuid: name, name, state, reason });
  it('keeps the state of an event that came after the listing began', () => {
    const listed = [vm('a', 'shutoff', 'destroyed'), vm('b', 'running', 'booted')];
    const current = [vm('a', 'running', 'booted'), vm('b', 'shutoff')];
    const out = keepNewerEventStates(listed, current, (name) => name === 'a');
    expect(out).toEqual([vm('a', 'running', 'booted'), vm('b', 'running', 'booted')]);
  });
  it('takes the listing as is when no event is newer', () => {
    const listed = [vm('a', 'shutoff')];
    expect(keepNewerEventStates(listed, [vm('a', 'running')], () => false)).toEqual(listed);
  });
});
