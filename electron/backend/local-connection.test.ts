import { hasVirsh } from '../../shared/test-support/virsh';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VmSummary } from '../../shared/contract/index.js';
import { Backend } from './backend';

// libvirt's built-in test driver (test:///default) is a real libvirt connection that needs no
// daemon: it proves the local path (virsh run on this machine, no SSH) end to end.
describe.skipIf(!hasVirsh)('a local connection, where virsh exists on this machine', () => {
  it('lists the VMs of a libvirt URI without SSH', async () => {
    const backend = new Backend({ dataDir: mkdtempSync(join(tmpdir(), 'vd-local-')), sshConfigPath: '/dev/null' });
    try {
      const listed = new Promise<VmSummary[]>((resolve) => backend.onEvent((e) => e.type === 'host.vms' && e.vms.length && resolve(e.vms)));
      const added = await backend.request('hosts.add', { target: 'test:///default' });
      expect(added).toMatchObject({ ok: true, value: { config: { libvirtUri: 'test:///default', label: 'localhost' } } });
      const vms = await listed;
      expect(vms).toEqual([expect.objectContaining({ name: 'test', state: 'running', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f' })]);
      const info = await backend.request('vm.dominfo', { hostId: added.ok ? added.value.config.id : '', name: 'test' });
      expect(info).toMatchObject({ ok: true, value: { Name: 'test', State: 'running' } });
    } finally {
      await backend.close();
    }
  });

  it('never lets a URI start a program: not when added, not from a tampered saved connection', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vd-uri-'));
    const canary = join(dataDir, 'CANARY');
    const prog = join(dataDir, 'prog');
    writeFileSync(prog, `#!/bin/sh\ntouch ${canary}\n`);
    chmodSync(prog, 0o755);
    const evil = `qemu+ext:///system?command=${prog}`;
    writeFileSync(join(dataDir, 'connections.json'), JSON.stringify({ hosts: [{ id: 'saved', label: 'x', target: 'local', libvirtUri: evil, autoconnect: false }] }));
    const backend = new Backend({ dataDir, sshConfigPath: '/dev/null' });
    try {
      expect(await backend.request('hosts.add', { target: 'local', libvirtUri: evil })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('runs a program') } });
      expect(await backend.request('hosts.add', { target: evil })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(await backend.request('hosts.connect', { hostId: 'saved' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('runs a program') } });
      expect(existsSync(canary)).toBe(false);
    } finally {
      await backend.close();
    }
  });
});
