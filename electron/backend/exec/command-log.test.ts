import { describe, expect, it } from 'vitest';
import { commandLine, hostCommandLog, HOST_LOG_SIZE, noteCommand, recordCommands } from './command-log';

describe('commandLine', () => {
  it('quotes as sh would need, so the line can be pasted', () => {
    expect(commandLine(['virsh', '-c', 'qemu:///system', 'start', "it's a vm"])).toBe(`virsh -c qemu:///system start 'it'\\''s a vm'`);
  });

  it('masks secrets in options, inline options, JSON and XML attributes', () => {
    expect(commandLine(['tool', '--password', 'hunter2', 'x'])).toBe("tool --password '••••••' x");
    expect(commandLine(['tool', '--passwd=hunter2'])).toBe("tool '--passwd=••••••'");
    const qmp = commandLine(['virsh', 'qemu-monitor-command', 'vm', '{"execute":"set_password","arguments":{"protocol":"vnc","password":"s3cret"}}']);
    expect(qmp).not.toContain('s3cret');
    expect(qmp).toContain('"password":"••••••"');
    expect(commandLine(['echo', "<graphics type='vnc' passwd='abc'/>"])).not.toContain('abc');
  });
});

describe('recordCommands', () => {
  it('collects the commands of its own call only, even when calls overlap', async () => {
    const slow = recordCommands(async () => {
      noteCommand('h1', ['virsh', 'list'])(0);
      await new Promise((r) => setTimeout(r, 20));
      noteCommand('h1', ['virsh', 'dominfo', 'a'])(1);
      return 'a';
    });
    const fast = recordCommands(async () => {
      await new Promise((r) => setTimeout(r, 5));
      noteCommand('h2', ['virsh', 'start', 'b'], '<xml/>')(0);
    });
    const [a, b] = await Promise.all([slow, fast]);
    expect(a.value).toBe('a');
    expect(a.commands.map((c) => [c.hostId, c.line, c.exit])).toEqual([
      ['h1', 'virsh list', 0],
      ['h1', 'virsh dominfo a', 1],
    ]);
    expect(b.commands).toHaveLength(1);
    expect(b.commands[0]).toMatchObject({ hostId: 'h2', line: 'virsh start b', stdinBytes: 6, exit: 0 });
  });

  it('keeps the commands of a call that threw', async () => {
    const r = await recordCommands(async () => {
      noteCommand('h3', ['virsh', 'undefine', 'x'])(1);
      throw new Error('no');
    });
    expect((r.error as Error).message).toBe('no');
    expect(r.commands).toHaveLength(1);
  });

  it("keeps a host's last commands, bounded", () => {
    for (let i = 0; i < HOST_LOG_SIZE + 20; i++) noteCommand('h4', ['virsh', 'dominfo', `vm${i}`])(0);
    const log = hostCommandLog('h4');
    expect(log).toHaveLength(HOST_LOG_SIZE);
    expect(log.at(-1)!.line).toBe(`virsh dominfo vm${HOST_LOG_SIZE + 19}`);
  });
});
