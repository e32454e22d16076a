import { describe, expect, it } from 'vitest';
import { classifyLibvirtFailure, faultMessage, libvirtFault } from './faults.js';

// virsh's stderr as seen on the lab hosts (LC_ALL=C), "error: " prefixes already stripped by Virsh.
const connect = (reason: string, socket = '/var/run/libvirt/libvirt-sock') =>
  `failed to connect to the hypervisor\nFailed to connect socket to '${socket}': ${reason}`;

describe('classifyLibvirtFailure', () => {
  it('reads a missing or refused libvirtd socket as the daemon not running', () => {
    expect(classifyLibvirtFailure({ message: connect('No such file or directory'), code: 1 })).toBe('not-running');
    expect(classifyLibvirtFailure({ message: connect('Connection refused'), code: 1 })).toBe('not-running');
  });

  it('tells the modular daemons’ socket from libvirtd’s', () => {
    expect(classifyLibvirtFailure({ message: connect('No such file or directory', '/var/run/libvirt/virtqemud-sock'), code: 1 })).toBe('modular-not-running');
    expect(classifyLibvirtFailure({ message: connect('Connection refused', '/run/libvirt/virtqemud-sock'), code: 1 })).toBe('modular-not-running');
  });

  it('reads a socket the user may not open, or polkit refusing, as a permission problem', () => {
    expect(classifyLibvirtFailure({ message: connect('Permission denied'), code: 1 })).toBe('permission');
    expect(classifyLibvirtFailure({ message: connect('Permission denied', '/var/run/libvirt/virtqemud-sock'), code: 1 })).toBe('permission');
    expect(
      classifyLibvirtFailure({
        message: "failed to connect to the hypervisor\nauthentication unavailable: no polkit agent available to authenticate action 'org.libvirt.unix.manage'",
        code: 1,
      }),
    ).toBe('permission');
  });

  it('reads a missing virsh from any common login shell', () => {
    expect(classifyLibvirtFailure({ message: 'bash: line 1: virsh: command not found', code: 127 })).toBe('virsh-missing');
    expect(classifyLibvirtFailure({ message: 'sh: 1: virsh: not found', code: 127 })).toBe('virsh-missing');
    expect(classifyLibvirtFailure({ message: 'zsh:1: command not found: virsh', code: null })).toBe('virsh-missing');
    expect(classifyLibvirtFailure({ message: 'fish: Unknown command: virsh', code: 127 })).toBe('virsh-missing');
  });

  it('reads the event stream’s end or a connection lost mid-command as libvirtd gone away', () => {
    expect(classifyLibvirtFailure({ message: 'Disconnected from qemu:///system due to end of file\ninternal error: client socket is closed', code: 1 })).toBe('disconnected');
    expect(classifyLibvirtFailure({ message: 'End of file while reading data: Input/output error', code: 1 })).toBe('disconnected');
    expect(classifyLibvirtFailure({ message: 'Cannot recv data: Connection reset by peer', code: 1 })).toBe('disconnected');
  });

  it('still sees a failed connection when libvirt speaks another language: the socket path is not translated', () => {
    const german = "Verbindung zum Hypervisor fehlgeschlagen\nVerbinden mit Socket '/var/run/libvirt/libvirt-sock' fehlgeschlagen: Datei oder Verzeichnis nicht gefunden";
    expect(classifyLibvirtFailure({ message: german, code: 1 })).toBe('not-running');
  });

  it('leaves an action libvirt refused alone: libvirt answered', () => {
    expect(classifyLibvirtFailure({ message: 'Failed to destroy domain desk-2\nRequested operation is not valid: domain is not running', code: 1 })).toBeUndefined();
    expect(classifyLibvirtFailure({ message: "failed to get domain 'nope'", code: 1 })).toBeUndefined();
    // A guest's own file missing is not the daemon's socket missing.
    expect(classifyLibvirtFailure({ message: "Cannot access storage file '/var/lib/libvirt/images/x.qcow2': No such file or directory", code: 1 })).toBeUndefined();
  });
});

describe('libvirtFault', () => {
  it('keeps libvirt’s specific words and gives the hint for the reason', () => {
    const fault = libvirtFault({ message: connect('Permission denied'), code: 1 }, 42);
    expect(fault).toMatchObject({ kind: 'permission', message: "Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied", since: 42 });
    expect(fault?.hint).toMatch(/add the user to the libvirt group/);
    expect(libvirtFault({ message: connect('No such file or directory'), code: 1 }, 0)?.hint).toMatch(/libvirtd \(or virtqemud\) is not running on the host/);
    expect(libvirtFault({ message: 'bash: line 1: virsh: command not found', code: 127 }, 0)?.hint).toMatch(/install libvirt-clients/);
  });

  it('strips the "error:" prefixes a stream’s raw stderr still has', () => {
    expect(faultMessage('error: Disconnected from qemu:///system due to end of file\nerror: internal error: client socket is closed')).toBe(
      'Disconnected from qemu:///system due to end of file; internal error: client socket is closed',
    );
  });
});
