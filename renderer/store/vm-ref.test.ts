import { describe, expect, it } from 'vitest';
import { findVm, hostKeyPrefix, vmKey, vmRef } from './vm-ref';

describe('VM identity', () => {
  it('keys every host and name apart, hostile characters included, and by host prefix', () => {
    const refs = [
      { hostId: 'hv1', name: 'a' },
      { hostId: 'hv1/a', name: '' },
      { hostId: 'hv1', name: '/a' },
      { hostId: 'h"1', name: 'a b,c' },
      { hostId: 'h', name: '"1",a' },
    ];
    expect(new Set(refs.map(vmKey)).size).toBe(refs.length);
    for (const r of refs) {
      expect(JSON.parse(vmKey(r))).toEqual([r.hostId, r.name]);
      for (const other of refs) expect(vmKey(other).startsWith(hostKeyPrefix(r.hostId))).toBe(other.hostId === r.hostId);
    }
  });

  it('keeps only the identity of a summary', () => {
    expect(vmRef({ hostId: 'hv1', name: 'x', uuid: 'u', state: 'running' } as never)).toEqual({ hostId: 'hv1', name: 'x' });
    expect(vmRef({ hostId: 'hv1', name: 'x', uuid: 'u', state: 'running', driver: 'qemu' } as never)).toEqual({ hostId: 'hv1', name: 'x' });
    expect(vmRef({ hostId: 'hv1', name: 'x', uuid: 'u', state: 'running', driver: 'lxc' } as never)).toEqual({ hostId: 'hv1', name: 'x', driver: 'lxc' });
  });

  it('keeps a container apart from a VM of the same name on the same host', () => {
    const vm = { hostId: 'hv5', name: 'web', uuid: 'a', state: 'running' as const };
    const ct = { hostId: 'hv5', name: 'web', uuid: 'b', state: 'shutoff' as const, driver: 'lxc' as const };
    expect(vmKey(vm)).not.toBe(vmKey(ct));
    expect(vmKey(ct).startsWith(hostKeyPrefix('hv5'))).toBe(true);
    expect(findVm({ hv5: [vm, ct] }, vmRef(ct))).toBe(ct);
    expect(findVm({ hv5: [ct, vm] }, vmRef(vm))).toBe(vm);
  });

  it("keeps an LXC-tools container apart from libvirt's container and the VM of the same name", () => {
    const vm = { hostId: 'hv5', name: 'web', uuid: 'a', state: 'running' as const };
    const ct = { hostId: 'hv5', name: 'web', uuid: 'b', state: 'shutoff' as const, driver: 'lxc' as const };
    const tools = { hostId: 'hv5', name: 'web', uuid: 'c', state: 'running' as const, driver: 'lxc-tools' as const };
    expect(new Set([vm, ct, tools].map(vmKey)).size).toBe(3);
    expect(vmRef(tools)).toEqual({ hostId: 'hv5', name: 'web', driver: 'lxc-tools' });
    expect(findVm({ hv5: [vm, ct, tools] }, vmRef(tools))).toBe(tools);
    expect(findVm({ hv5: [tools, vm, ct] }, vmRef(ct))).toBe(ct);
  });
});
