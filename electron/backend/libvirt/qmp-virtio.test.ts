// How readVirtio finds out what this QEMU can tell, on replies captured from the lab's QEMU 7.2
// (shared/qmp/fixtures: see fallback.test.ts):
// its query-commands as it is (x-query-virtio is used), and the same list without the
// x-query-virtio commands, as an older QEMU gives it (query-pci and the balloon's statistics are
// used instead, and x-query-virtio is never sent).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readVirtio } from './qmp-virtio';

const fixture = (n: string) => readFileSync(new URL(`../../../shared/qmp/fixtures/${n}`, import.meta.url), 'utf8');
const LIVE = fixture('fallback-live.xml');
const commands = (drop: (name: string) => boolean) => {
  const reply = JSON.parse(fixture('commands.json')) as { return: { name: string }[] };
  return JSON.stringify({ return: reply.return.filter((c) => !drop(c.name)) });
};

/** A virsh that answers each QMP command with a captured reply, and records what was sent. */
function replaying(replies: Record<string, string>) {
  const sent: string[] = [];
  const virsh = {
    run: async (args: readonly string[]) => {
      if (args[0] === 'dumpxml') return LIVE;
      const cmd = JSON.parse(args.at(-1)!) as { execute: string; arguments?: { path?: string } };
      sent.push(cmd.execute);
      const key = cmd.execute === 'x-query-virtio-status' ? `status:${cmd.arguments!.path}` : cmd.execute;
      const reply = replies[key];
      if (!reply) return JSON.stringify({ error: { class: 'CommandNotFound', desc: `The command ${cmd.execute} has not been found` } });
      return reply;
    },
  };
  return { virsh, sent };
}

describe('readVirtio picks its queries by query-commands', () => {
  test('a QEMU without x-query-virtio: query-pci and the balloon statistics, never x-query-virtio', async () => {
    const { virsh, sent } = replaying({
      'query-commands': commands((n) => n.startsWith('x-query-virtio')),
      'query-pci': fixture('pci.json'),
      'qom-get': fixture('guest-stats-driver.json'),
    });
    const r = await readVirtio(virsh, 'g');
    expect(sent.sort()).toEqual(['qom-get', 'query-commands', 'query-pci']);
    expect(r.supported).toBe(false);
    expect(r.note).toContain('does not offer x-query-virtio and x-query-virtio-status');
    expect(r.devices.find((d) => d.type === 'virtio-balloon')).toMatchObject({ state: 'ready', ref: { tag: 'memballoon', id: '0' } });
    expect(r.devices.filter((d) => d.type !== 'virtio-balloon').every((d) => d.state === 'unknown')).toBe(true);
  });

  test('nor query-pci: nothing is shown but why', async () => {
    const { virsh, sent } = replaying({ 'query-commands': commands((n) => n.startsWith('x-query-virtio') || n === 'query-pci') });
    const r = await readVirtio(virsh, 'g');
    expect(sent).toEqual(['query-commands']);
    expect(r).toMatchObject({ running: true, supported: false, devices: [] });
    expect(r.note).toContain('query-pci is not offered either');
  });

  test('the lab QEMU as it is: x-query-virtio and each status', async () => {
    const list = JSON.parse(fixture('virtio.json')) as { return: { path: string }[] };
    const replies: Record<string, string> = { 'query-commands': fixture('commands.json'), 'x-query-virtio': fixture('virtio.json') };
    for (const d of list.return) replies[`status:${d.path}`] = fixture(`status-${d.path.split('/')[3]}.json`);
    const { virsh, sent } = replaying(replies);
    const r = await readVirtio(virsh, 'g');
    expect(r.supported).toBe(true);
    expect(sent).not.toContain('query-pci');
    expect(sent.filter((c) => c === 'x-query-virtio-status')).toHaveLength(list.return.length);
  });
});
