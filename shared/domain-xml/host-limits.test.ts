import { describe, expect, it } from 'vitest';
import { applyEdits, readDomain } from './index';
import { checkAgainstHost, formatMemory } from './host-limits';
import { RHEL9_Q35 } from './test-support';

const host = { label: 'hv3', cpus: 2, memoryKiB: 7 * 1048576, memoryFreeKiB: 3 * 1048576 };
const before = readDomain(RHEL9_Q35);
const after = (edits: Parameters<typeof applyEdits>[1]) => readDomain(applyEdits(RHEL9_Q35, edits));
const GiB = 1048576;

describe('checks against the host', () => {
  it('memory above the host total is refused, in MiB and GiB', () => {
    const v = checkAgainstHost(before, after([{ kind: 'set-memory', currentKiB: 65536 * 1024, maxKiB: 65536 * 1024 }]), host);
    expect(v.refusals).toEqual(['65536 MiB (64 GiB) of memory is more than hv3 has in all: 7168 MiB (7 GiB).']);
  });

  it('memory above the free memory is a warning; within it nothing', () => {
    // The fixture has 4 GiB.
    expect(checkAgainstHost(before, after([{ kind: 'set-memory', currentKiB: 6 * GiB, maxKiB: 6 * GiB }]), host)).toEqual({
      refusals: [],
      warnings: ['6144 MiB (6 GiB) of memory is more than hv3 has free now (3072 MiB (3 GiB) of 7168 MiB (7 GiB)): the guest may not start, or the host may swap.'],
    });
    expect(checkAgainstHost(before, after([{ kind: 'set-memory', currentKiB: 2 * GiB, maxKiB: 2 * GiB }]), host)).toEqual({ refusals: [], warnings: [] });
    expect(checkAgainstHost(before, after([{ kind: 'set-memory', currentKiB: 6 * GiB, maxKiB: 6 * GiB }]), { ...host, memoryFreeKiB: 7 * GiB })).toEqual({ refusals: [], warnings: [] });
  });

  it('an unrelated edit of a VM that already asks for more than the host has is not refused', () => {
    const big = readDomain(applyEdits(RHEL9_Q35, [{ kind: 'set-memory', currentKiB: 64 * GiB, maxKiB: 64 * GiB }]));
    const titled = readDomain(applyEdits(RHEL9_Q35, [{ kind: 'set-memory', currentKiB: 64 * GiB, maxKiB: 64 * GiB }, { kind: 'set-title', title: 't' }]));
    expect(checkAgainstHost(big, titled, host)).toEqual({ refusals: [], warnings: [] });
  });

  it('more vCPUs than host CPUs is a warning', () => {
    // The fixture has 4 vCPUs on this 2-CPU host already: only raising them warns.
    expect(checkAgainstHost(before, after([{ kind: 'set-vcpus', current: 6, max: 6 }]), host).warnings).toEqual([
      '6 vCPUs is more than the 2 CPUs of hv3: the vCPUs will share CPUs and run slower.',
    ]);
    expect(checkAgainstHost(before, after([{ kind: 'set-vcpus', current: 2, max: 4 }]), host).warnings).toEqual([]);
  });

  it('a MAC used on the same host is refused naming the VM; on another host it is a warning', () => {
    const mac = '52:54:00:AA:BB:CC';
    const next = after([{ kind: 'set-nic-mac', index: 0, mac }]);
    const v = checkAgainstHost(before, next, host, [
      { mac: '52:54:00:aa:bb:cc', vm: "web 'one'", host: 'hv3', sameHost: true },
      { mac: '52:54:00:aa:bb:cc', vm: 'db', host: 'hv1', sameHost: false },
    ]);
    expect(v.refusals).toEqual(["The MAC address 52:54:00:aa:bb:cc is already used by the VM web 'one' on hv3."]);
    expect(v.warnings).toEqual(['The MAC address 52:54:00:aa:bb:cc is also used by the VM db on hv1: a migration or clone between the hosts would collide.']);
    // The VM's own MAC, unchanged, is never a collision with itself.
    expect(checkAgainstHost(next, after([{ kind: 'set-nic-mac', index: 0, mac }, { kind: 'set-title', title: 'x' }]), host, [{ mac, vm: 'other', host: 'hv3', sameHost: true }]).refusals).toEqual([]);
  });

  it('formats memory in MiB, with GiB from 1 GiB', () => {
    expect(formatMemory(512 * 1024)).toBe('512 MiB');
    expect(formatMemory(1536 * 1024)).toBe('1536 MiB (1.5 GiB)');
  });
});
