import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { ConsoleManager, dialAddress, vncTarget, type ConsoleChannel, type ConsoleHost } from './console-manager';

const domain = (graphics: string) => `<domain type='qemu'><name>vm1</name><devices>${graphics}</devices></domain>`;

class FakeChannel extends EventEmitter implements ConsoleChannel {
  written: Buffer[] = [];
  closed = false;
  window?: [number, number];
  write(data: Buffer): boolean {
    this.written.push(data);
    return true;
  }
  close(): void {
    this.closed = true;
    this.emit('close');
  }
  setWindow(rows: number, cols: number): void {
    this.window = [rows, cols];
  }
}

/** `state`: libvirt's state code, as `domstats --raw --state` prints it (1 running, 5 shut off). */
function fakeHost(xml: string, state = 1) {
  const channel = new FakeChannel();
  const calls: Array<{ op: string; args: unknown[] }> = [];
  const host: ConsoleHost = {
    label: 'hv9',
    libvirtUri: 'qemu:///system',
    virsh: async (args) => {
      calls.push({ op: 'virsh', args: [...args] });
      return args[0] === 'dumpxml' ? xml : `Domain: 'vm1'\n  state.state=${state}\n  state.reason=1\n`;
    },
    forwardOut: async (address, port) => {
      calls.push({ op: 'forwardOut', args: [address, port] });
      return channel;
    },
    openPty: async (argv, size) => {
      calls.push({ op: 'openPty', args: [argv, size] });
      return channel;
    },
  };
  return { host, channel, calls };
}

describe('vncTarget', () => {
  it('reads the live port and listen address, wildcards meaning the host loopback', () => {
    expect(vncTarget(domain(`<graphics type='vnc' port='5901' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics>`), 'vm1')).toEqual({ address: '127.0.0.1', port: 5901 });
    expect(vncTarget(domain(`<graphics type='vnc' port='5902' listen='0.0.0.0'/>`), 'vm1')).toEqual({ address: '127.0.0.1', port: 5902 });
    expect(dialAddress('::')).toBe('::1');
    expect(dialAddress('192.0.2.5')).toBe('192.0.2.5');
  });

  it('takes the password from the XML when there is one', () => {
    expect(vncTarget(domain(`<graphics type='vnc' port='5900' passwd='s3cret'/>`), 'vm1')).toEqual({ address: '127.0.0.1', port: 5900, password: 's3cret' });
  });

  it('says plainly when the VM has only SPICE, no display, or is not running', () => {
    expect(() => vncTarget(domain(`<graphics type='spice' autoport='yes'/>`), 'vm1')).toThrow(/only a SPICE display/);
    expect(() => vncTarget(domain(''), 'vm1')).toThrow(/no graphical display/);
    expect(() => vncTarget(domain(`<graphics type='vnc' port='-1' autoport='yes'/>`), 'vm1')).toThrow(/not running/);
  });
});

describe('ConsoleManager', () => {
  it('issues a one-time id: the first attach spends it, a second one is refused', async () => {
    const { host, calls } = fakeHost(domain(`<graphics type='vnc' port='5900' listen='127.0.0.1'/>`));
    const consoles = new ConsoleManager(() => host);
    const { consoleId } = await consoles.open({ hostId: 'h', name: 'vm1', kind: 'vnc' });
    expect(calls[0]).toEqual({ op: 'virsh', args: ['dumpxml', '--security-info', '--domain', 'vm1'] });
    expect(consoleId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const sink = { send: vi.fn(), close: vi.fn() };
    expect(consoles.has(consoleId)).toBe(true);
    await consoles.attach(consoleId, sink);
    expect(calls.at(-1)).toEqual({ op: 'forwardOut', args: ['127.0.0.1', 5900] });
    expect(consoles.has(consoleId)).toBe(false);
    await expect(consoles.attach(consoleId, sink)).rejects.toThrow(/Unknown or used/);
  });

  it('pipes bytes both ways and tells the sink when the host side closes', async () => {
    const { host, channel } = fakeHost(domain(`<graphics type='vnc' port='5900'/>`));
    const consoles = new ConsoleManager(() => host);
    const { consoleId } = await consoles.open({ hostId: 'h', name: 'vm1', kind: 'vnc' });
    const sink = { send: vi.fn(), close: vi.fn() };
    const stream = await consoles.attach(consoleId, sink);
    channel.emit('data', Buffer.from('RFB 003.008\n'));
    expect(sink.send).toHaveBeenCalledWith(Buffer.from('RFB 003.008\n'));
    stream.write(Buffer.from('RFB 003.008\n'));
    expect(channel.written).toHaveLength(1);
    channel.emit('close');
    expect(sink.close).toHaveBeenCalledWith(expect.stringMatching(/closed/));
  });

  it('closes a VNC channel the server half-closed (its QEMU exited), so the page sees the drop', async () => {
    const { host, channel } = fakeHost(domain(`<graphics type='vnc' port='5900'/>`));
    const consoles = new ConsoleManager(() => host);
    const { consoleId } = await consoles.open({ hostId: 'h', name: 'vm1', kind: 'vnc' });
    const sink = { send: vi.fn(), close: vi.fn() };
    await consoles.attach(consoleId, sink);
    channel.emit('end'); // EOF only: ssh2 would keep the channel open without our close
    expect(channel.closed).toBe(true);
    expect(sink.close).toHaveBeenCalledWith(expect.stringMatching(/closed/));
  });

  it('runs the serial console as virsh console --force on a pty, quoted as an argv', async () => {
    const { host, calls, channel } = fakeHost('');
    const consoles = new ConsoleManager(() => host);
    const { consoleId } = await consoles.open({ hostId: 'h', name: "it's; rm -rf /", kind: 'serial' });
    const stream = await consoles.attach(consoleId, { send: vi.fn(), close: vi.fn() }, { cols: 100, rows: 30 });
    expect(calls.at(-1)).toEqual({
      op: 'openPty',
      args: [['virsh', '-c', 'qemu:///system', 'console', '--force', '--domain', "it's; rm -rf /"], { cols: 100, rows: 30 }],
    });
    stream.resize(120, 40);
    expect(channel.window).toEqual([40, 120]);
    stream.resize(-1, 1e9); // ignored
    expect(channel.window).toEqual([40, 120]);
  });

  it('refuses a serial console of a VM that is off, and a ticket that was never issued', async () => {
    const { host } = fakeHost('', 5);
    const consoles = new ConsoleManager(() => host);
    await expect(consoles.open({ hostId: 'h', name: 'vm1', kind: 'serial' })).rejects.toThrow(/not running/);
    await expect(consoles.attach('forged', { send: vi.fn(), close: vi.fn() })).rejects.toThrow(/Unknown or used/);
  });

  it('a SPICE id serves one forwardOut per channel while the session lives, then expires', async () => {
    vi.useFakeTimers();
    try {
      const { host, calls } = fakeHost(domain(`<graphics type='vnc' port='5901'/><graphics type='spice' port='5900' autoport='yes' passwd='pw'><listen type='address' address='127.0.0.1'/></graphics>`));
      const channels: FakeChannel[] = [];
      host.forwardOut = async (address, port) => {
        calls.push({ op: 'forwardOut', args: [address, port] });
        channels.push(new FakeChannel());
        return channels.at(-1)!;
      };
      const consoles = new ConsoleManager(() => host);
      const ticket = await consoles.open({ hostId: 'h', name: 'vm1', kind: 'spice' });
      expect(ticket).toMatchObject({ kind: 'spice', spicePassword: 'pw', displays: ['vnc', 'spice'] });
      const sink = () => ({ send: vi.fn(), close: vi.fn() });
      // main, display, inputs, cursor: four streams, four forwardOuts, no new connection.
      const streams = [];
      for (let i = 0; i < 4; i++) streams.push(await consoles.attach(ticket.consoleId, sink()));
      expect(calls.filter((c) => c.op === 'forwardOut')).toEqual(Array(4).fill({ op: 'forwardOut', args: ['127.0.0.1', 5900] }));
      expect(consoles.has(ticket.consoleId)).toBe(true);
      // A page cannot open channels without end: the budget of the host's connection is shared.
      streams.push(await consoles.attach(ticket.consoleId, sink()), await consoles.attach(ticket.consoleId, sink()));
      await expect(consoles.attach(ticket.consoleId, sink())).rejects.toThrow(/at most 6/);
      // Open channels keep it alive past the first 30 s; once all have closed it expires.
      vi.advanceTimersByTime(60_000);
      expect(consoles.has(ticket.consoleId)).toBe(true);
      for (const s of streams.slice(1)) s.close();
      channels[0]!.emit('close');
      expect(consoles.has(ticket.consoleId)).toBe(true);
      vi.advanceTimersByTime(10_001);
      expect(consoles.has(ticket.consoleId)).toBe(false);
      await expect(consoles.attach(ticket.consoleId, sink())).rejects.toThrow(/Unknown or used/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says why a SPICE display cannot be shown', async () => {
    const open = (graphics: string) => new ConsoleManager(() => fakeHost(domain(graphics)).host).open({ hostId: 'h', name: 'vm1', kind: 'spice' });
    await expect(open(`<graphics type='vnc' port='5900'/>`)).rejects.toMatchObject({ code: 'vnc-only' });
    await expect(open(`<graphics type='spice' autoport='yes'/>`)).rejects.toMatchObject({ code: 'not-running' });
    await expect(open(`<graphics type='spice' port='-1' tlsPort='5901'/>`)).rejects.toThrow(/only TLS/);
    await expect(open(`<graphics type='spice'><listen type='socket' socket='/run/x.sock'/></graphics>`)).rejects.toMatchObject({ code: 'unsupported' });
  });
});
