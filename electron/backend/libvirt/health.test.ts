import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LibvirtFault } from '../../../shared/contract/index.js';
import { RemoteCommandError } from '../exec/session.js';
import { LibvirtHealth, QUIET_MS } from './health.js';

const DOWN = "failed to connect to the hypervisor\nFailed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory";

/** A host whose libvirt answers or not, as `up` says; counts the probes. */
function host() {
  const h = {
    up: true,
    probes: 0,
    changes: [] as Array<LibvirtFault | undefined>,
    health: undefined as unknown as LibvirtHealth,
  };
  h.health = new LibvirtHealth(
    async () => {
      h.probes++;
      if (!h.up) throw new RemoteCommandError(DOWN, { stdout: '', stderr: DOWN, code: 1 });
      return 'qemu:///system\n';
    },
    (fault) => h.changes.push(fault),
  );
  return h;
}

afterEach(() => vi.useRealTimers());

describe('LibvirtHealth', () => {
  it('checks at once when the event stream ends, and reports the probe’s reason', async () => {
    vi.useFakeTimers();
    const h = host();
    h.health.start();
    h.up = false;
    h.health.streamEnded();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.probes).toBe(1);
    expect(h.changes).toHaveLength(1);
    expect(h.changes[0]).toMatchObject({ kind: 'not-running', message: "Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory" });
    h.health.stop();
  });

  it('retries a degraded host with backoff and recovers by itself', async () => {
    vi.useFakeTimers();
    const h = host();
    h.health.start();
    h.up = false;
    h.health.failed({ message: DOWN, code: 1 });
    await vi.advanceTimersByTimeAsync(0);
    const since = h.changes[0]!.since;
    // 1 s, then 2 s, then 4 s between probes.
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.probes).toBe(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(h.probes).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.probes).toBe(3);
    // The fault keeps when it began while its retries move on.
    expect(h.changes.every((f) => f?.since === since)).toBe(true);
    h.up = true;
    await vi.advanceTimersByTimeAsync(4000);
    expect(h.probes).toBe(4);
    expect(h.changes.at(-1)).toBeUndefined();
    expect(h.health.fault).toBeUndefined();
    h.health.stop();
  });

  it('adds no probe while signs of life keep coming, and one per quiet period otherwise', async () => {
    vi.useFakeTimers();
    const h = host();
    h.health.start();
    for (let t = 0; t < 30_000; t += 2000) {
      await vi.advanceTimersByTimeAsync(2000);
      h.health.heard(); // the stats poller's listing every 2 s
    }
    expect(h.probes).toBe(0);
    await vi.advanceTimersByTimeAsync(QUIET_MS * 4);
    expect(h.probes).toBe(4);
    h.health.stop();
  });

  it('leaves an action libvirt refused alone', async () => {
    vi.useFakeTimers();
    const h = host();
    h.health.start();
    h.health.failed({ message: 'Requested operation is not valid: domain is not running', code: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(h.probes).toBe(0);
    h.health.stop();
  });

  it('takes a probe that gets no answer as libvirt not answering', async () => {
    vi.useFakeTimers();
    const changes: Array<LibvirtFault | undefined> = [];
    const health = new LibvirtHealth(() => new Promise(() => undefined), (f) => changes.push(f));
    health.start();
    health.streamEnded();
    await vi.advanceTimersByTimeAsync(8000);
    expect(changes[0]?.kind).toBe('no-answer');
    health.stop();
  });

  it('gives no verdict when the probe could not even run (the SSH channel failed)', async () => {
    vi.useFakeTimers();
    const changes: Array<LibvirtFault | undefined> = [];
    let probes = 0;
    const health = new LibvirtHealth(
      async () => {
        probes++;
        throw new Error('(SSH) Channel open failure: open failed');
      },
      (f) => changes.push(f),
    );
    health.start();
    health.streamEnded();
    await vi.advanceTimersByTimeAsync(QUIET_MS - 1);
    expect(probes).toBe(1);
    expect(changes).toEqual([]);
    health.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probes).toBe(1);
  });
});
