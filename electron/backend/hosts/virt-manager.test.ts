import { describe, expect, it } from 'vitest';
import { parseGVariantStrings, targetForUri } from './virt-manager';

describe('virt-manager import', () => {
  it('reads dconf string arrays', () => {
    expect(parseGVariantStrings("['qemu+ssh://root@hv1/system', 'qemu:///system']\n")).toEqual(['qemu+ssh://root@hv1/system', 'qemu:///system']);
    expect(parseGVariantStrings('@as []\n')).toEqual([]);
    expect(parseGVariantStrings(`["it's", 'a\\'b']`)).toEqual(["it's", "a'b"]);
  });

  it('maps URIs to targets, and says which it cannot take', () => {
    expect(targetForUri('qemu+ssh://root@hv1:2222/system?keyfile=/k')).toEqual({ target: 'qemu+ssh://root@hv1:2222/system?keyfile=/k', libvirtUri: 'qemu:///system' });
    expect(targetForUri('qemu+ext:///system?command=/bin/x')).toMatchObject({ unsupported: expect.stringContaining('runs a program') });
    expect(targetForUri('qemu+ssh://hv1/system?no_verify=1')).toMatchObject({ unsupported: expect.stringContaining('no_verify') });
    expect(targetForUri('qemu:///session')).toEqual({ target: 'qemu:///session', libvirtUri: 'qemu:///session' });
    expect(targetForUri('xen:///system')).toMatchObject({ unsupported: expect.stringContaining('only qemu') });
    expect(targetForUri('qemu+tls://hv2/system')).toMatchObject({ unsupported: expect.stringContaining('only SSH') });
    expect(targetForUri('qemu://hv2/system')).toMatchObject({ unsupported: expect.stringContaining('without SSH') });
  });
});
