import { describe, expect, it } from 'vitest';
import { checkConnectionUri, connectionUri, LibvirtUriError, parseLibvirtUri } from './libvirt-uri';

describe('the one libvirt URI check', () => {
  it('takes the local driver URIs virsh is given', () => {
    expect(checkConnectionUri('qemu:///system')).toBe('qemu:///system');
    expect(checkConnectionUri(' qemu:///session ')).toBe('qemu:///session');
    expect(checkConnectionUri('lxc:///')).toBe('lxc:///system');
    expect(checkConnectionUri('test:///default')).toBe('test:///default');
  });

  it('takes qemu+ssh:// targets, with user, port, IPv6 and keyfile', () => {
    expect(parseLibvirtUri('qemu+ssh://root@hv1:2222/system?keyfile=/k/id')).toEqual({
      driver: 'qemu', transport: 'ssh', user: 'root', host: 'hv1', port: 2222, path: '/system', keyfile: '/k/id',
    });
    expect(parseLibvirtUri('qemu+ssh://[2001:db8::1]/session')).toMatchObject({ host: '2001:db8::1', path: '/session' });
    expect(connectionUri(parseLibvirtUri('qemu+ssh://hv1/'))).toBe('qemu:///system');
  });

  it.each([
    ['qemu+ext:///system?command=/tmp/prog', /"ext" transport runs a program/],
    ['QEMU+EXT:///system', /"ext" transport/],
    ['qemu:///system?command=/tmp/prog', /"command=" is not allowed/],
    ['qemu+ssh://hv1/system?command=/tmp/prog', /"command=" is not allowed/],
    ['qemu:///system?socket=/run/x', /"socket=" is not allowed/],
    ['qemu+ssh://hv1/system?no_verify=1', /"no_verify=" is not allowed/],
    ['qemu+ssh://hv1/system?no_tty=1', /"no_tty=" is not allowed/],
    ['qemu+ssh://hv1/system?netcat=/tmp/nc', /"netcat=" is not allowed/],
    ['qemu+ssh://hv1/system?NO_VERIFY=1', /not allowed/],
    ['qemu:///system?whatever=1', /unknown parameter "whatever="/],
    ['qemu:///system?keyfile=/k', /unknown parameter "keyfile="/],
    ['qemu+unix:///system', /only SSH/],
    ['qemu+tls://hv1/system', /only SSH/],
    ['qemu+libssh2://hv1/system', /only SSH/],
    ['xen:///system', /only qemu, lxc and test/],
    ['qemu://hv1/system', /without SSH/],
    ['qemu+ssh:///system', /No host/],
    ['qemu:///system#x', /fragment/],
    ['not a uri', /Not a libvirt URI/],
    ['qemu:///system extra', /Not a libvirt URI/],
  ])('refuses %s', (uri, why) => {
    expect(() => connectionUri(parseLibvirtUri(uri))).toThrow(LibvirtUriError);
    expect(() => connectionUri(parseLibvirtUri(uri))).toThrow(why);
  });

  it('gives virsh only the allowed connection URIs', () => {
    expect(() => checkConnectionUri('qemu:///embed?root=/tmp/x')).toThrow(/unknown parameter/);
    expect(() => checkConnectionUri('qemu:///embed')).toThrow(/connects only to qemu:\/\/\/system/);
    expect(() => checkConnectionUri('test:///tmp/some.xml')).toThrow(/connects only to/);
    expect(() => checkConnectionUri('qemu+ssh://hv1/system')).toThrow(/local to that host/);
  });
});
