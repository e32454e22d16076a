import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackendEvent, VmSummary } from '../../../shared/contract';
import { ConnectionsStore } from './connections-store';
import { LastFleetStore } from './last-fleet';
import { HostRegistry } from './registry';

const vm = (hostId: string, name: string): VmSummary => ({ hostId, name, uuid: `uuid-${name}`, state: 'running' }) as VmSummary;

/** A registry on `dir` whose hosts never connect by themselves (autoconnect off). */
function registryOn(dir: string, events: BackendEvent[] = []) {
  const ctx = { prompts: { cancelHost: () => undefined }, secrets: {}, sshConfig: { sources: [], env: {} }, emit: (e: BackendEvent) => events.push(e) } as never;
  return new HostRegistry(new ConnectionsStore(dir), ctx, new LastFleetStore(dir));
}

describe('the last known fleet', () => {
  it('shows each host with what it listed last session, marked unconfirmed, until it lists again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vd-lastfleet-'));
    const first = registryOn(dir);
    const added = first.add({ target: 'hv1', autoconnect: false });
    const hostId = added.config.id;
    expect(added.vmsUnconfirmed).toBeUndefined();
    // What a listing emits goes through the registry's emit, which keeps it.
    (first as unknown as { ctx: { emit(e: BackendEvent): void } }).ctx.emit({ type: 'host.vms', hostId, vms: [vm(hostId, 'web-1'), vm(hostId, 'db 2')] });
    first.closeAll();
    expect(JSON.parse(readFileSync(join(dir, 'last-fleet.json'), 'utf8'))[hostId]).toHaveLength(2);

    const next = registryOn(dir);
    next.load();
    const host = next.get(hostId);
    expect(host.vms.map((v) => v.name)).toEqual(['web-1', 'db 2']);
    expect(host.status()).toMatchObject({ state: 'disconnected', vmsUnconfirmed: true });
  });

  it('forgets a removed host, and starts empty without a file or with a broken one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vd-lastfleet-'));
    const store = new LastFleetStore(dir);
    expect(store.of('x')).toBeUndefined();
    store.remember('x', [vm('x', 'a')]);
    store.flush();
    expect(new LastFleetStore(dir).of('x')).toHaveLength(1);
    store.forget('x');
    expect(new LastFleetStore(dir).of('x')).toBeUndefined();
  });
});
