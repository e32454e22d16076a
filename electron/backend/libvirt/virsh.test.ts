import { describe, expect, it } from 'vitest';
import { virshArgv } from './virsh';

describe('virshArgv', () => {
  it('always names the libvirt URI for virsh', () => {
    expect(virshArgv('qemu:///system', ['list'])).toEqual(['virsh', '-q', '-c', 'qemu:///system', 'list']);
  });
});
