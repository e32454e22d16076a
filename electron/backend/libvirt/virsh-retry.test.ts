import { describe, expect, it } from 'vitest';
import type { CommandSession, ExecResult } from '../exec/session.js';
import { Virsh } from './virsh.js';

/** A session whose first answer to each command is a channel closed with no exit status. */
function flakySession(first: ExecResult): CommandSession & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async exec(argv: readonly string[]) {
      calls.push([...argv]);
      return calls.length === 1 ? first : { stdout: 'ok\n', stderr: '', code: 0 };
    },
    async streamLines() {
      throw new Error('not used');
    },
  } as unknown as CommandSession & { calls: string[][] };
}

describe('virsh commands whose channel closed before an exit status', () => {
  it('runs a read-only command once more', async () => {
    const s = flakySession({ stdout: '', stderr: '', code: null });
    expect(await new Virsh(s, 'qemu:///system').run(['domstats', '--raw', '--state', '--', 'vm'])).toBe('ok\n');
    expect(s.calls).toHaveLength(2);
  });

  it('never runs a command that changes something twice, and says how it ended', async () => {
    const s = flakySession({ stdout: '', stderr: '', code: null });
    await expect(new Virsh(s, 'qemu:///system').run(['start', '--', 'vm'])).rejects.toThrow('virsh start ended without an exit status (its SSH channel closed first)');
    expect(s.calls).toHaveLength(1);
  });

  it('does not repeat a command ended by a signal, and names the signal', async () => {
    const s = flakySession({ stdout: '', stderr: '', code: null, signal: 'SIGKILL' });
    await expect(new Virsh(s, 'qemu:///system').run(['dumpxml', '--', 'vm'])).rejects.toThrow('virsh dumpxml was ended by signal SIGKILL');
    expect(s.calls).toHaveLength(1);
  });
});
