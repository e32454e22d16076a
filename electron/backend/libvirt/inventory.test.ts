import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VmSummary } from '../../../shared/contract/index.js';
import { HostInventory } from './inventory.js';
import type { Virsh } from './virsh.js';

const UUID = '0e12a675-253d-4831-9caa-006ba9f6ea6c';

/** A host whose first `failures` listings fail as a refused SSH channel would. */
function flakyHost(failures: number) {
  let calls = 0;
  const virsh = {
    async run(args: readonly string[]) {
      if (args[0] === 'list' && args.includes('--name')) {
        calls++;
        if (calls <= failures) throw new Error('(SSH) Channel open failure: open failed');
        return `${UUID} web\n`;
      }
      if (args[0] === 'domstats') return "Domain: 'web'\n  state.state=1\n  state.reason=1\n";
      return '';
    },
    async stream() {
      return { close() {} };
    },
  } as unknown as Virsh;
  return { virsh, listings: () => calls };
}

afterEach(() => vi.useRealTimers());

describe('HostInventory', () => {
  it('tries a failed listing again, backing off, instead of showing an empty host until its next event', async () => {
    vi.useFakeTimers();
    const { virsh, listings } = flakyHost(2);
    const changes: VmSummary[][] = [];
    const errors: string[] = [];
    const inventory = new HostInventory('h1', virsh, (vms) => changes.push(vms), (m) => errors.push(m));
    await inventory.start();
    expect(changes).toEqual([]);
    expect(errors).toEqual(['Listing the VMs failed: (SSH) Channel open failure: open failed']);

    await vi.advanceTimersByTimeAsync(1000);
    expect(listings()).toBe(2);
    expect(changes).toEqual([]);
    // The second retry waits longer (2 s), then the host's VMs show.
    await vi.advanceTimersByTimeAsync(1999);
    expect(listings()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(listings()).toBe(3);
    expect(changes.at(-1)?.map((vm) => [vm.name, vm.state])).toEqual([['web', 'running']]);

    // Once listed, no more retries.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(listings()).toBe(3);
    inventory.stop();
  });

  it('stops retrying when the host is closed', async () => {
    vi.useFakeTimers();
    const { virsh, listings } = flakyHost(100);
    const inventory = new HostInventory('h1', virsh, () => undefined, () => undefined);
    await inventory.start();
    inventory.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(listings()).toBe(1);
  });

  it('reads titles (a costly listing) only at first and when one may have changed, not on every start or stop', async () => {
    vi.useFakeTimers();
    let title = 'Build box';
    let titleListings = 0;
    let push: (line: string) => void = () => undefined;
    const virsh = {
      async run(args: readonly string[]) {
        if (args.includes('--title')) {
          titleListings++;
          return ` Id   Name   State     Title\n 1    web    running   ${title}\n`;
        }
        if (args[0] === 'list' && args.includes('--name')) return `${UUID} web\n`;
        if (args[0] === 'domstats') return "Domain: 'web'\n  state.state=1\n  state.reason=1\n";
        return '';
      },
      async stream(_args: readonly string[], onLine: (line: string) => void) {
        push = onLine;
        return { close() {} };
      },
    } as unknown as Virsh;
    const seen: Array<string | undefined> = [];
    const inventory = new HostInventory('h1', virsh, (vms) => seen.push(vms[0]?.title), () => undefined);
    await inventory.start();
    expect(titleListings).toBe(1);
    expect(seen.at(-1)).toBe('Build box');

    const event = async (line: string) => {
      push(line);
      await vi.advanceTimersByTimeAsync(100);
    };
    await event("event 'lifecycle' for domain 'web': Stopped Destroyed");
    await event("event 'lifecycle' for domain 'web': Started Booted");
    expect(titleListings).toBe(1);
    expect(seen.at(-1)).toBe('Build box');

    title = 'Renamed';
    await event("event 'metadata-change' for domain 'web': type=title");
    expect(titleListings).toBe(2);
    expect(seen.at(-1)).toBe('Renamed');
    await event("event 'lifecycle' for domain 'web': Defined Updated");
    expect(titleListings).toBe(3);
    inventory.stop();
  });

  it('shows the list without waiting for the titles, then again with them', async () => {
    vi.useFakeTimers();
    const virsh = {
      run(args: readonly string[]) {
        if (args.includes('--title')) return new Promise<string>((r) => setTimeout(() => r(' Id   Name   State     Title\n 1    web    running   Build box\n'), 500));
        if (args[0] === 'list' && args.includes('--name')) return Promise.resolve(`${UUID} web\n`);
        if (args[0] === 'domstats') return Promise.resolve("Domain: 'web'\n  state.state=1\n  state.reason=1\n");
        return Promise.resolve('');
      },
      async stream() {
        return { close() {} };
      },
    } as unknown as Virsh;
    const seen: Array<Array<string | undefined>> = [];
    const inventory = new HostInventory('h1', virsh, (vms) => seen.push(vms.map((vm) => vm.title)), () => undefined);
    const started = inventory.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toEqual([[undefined]]);
    await vi.advanceTimersByTimeAsync(500);
    await started;
    expect(seen).toEqual([[undefined], ['Build box']]);
    inventory.stop();
  });

  it('keeps one event stream when stopped and started again before the old one has closed', async () => {
    vi.useFakeTimers();
    const ends: Array<() => void> = [];
    let open = 0;
    const virsh = {
      async run(args: readonly string[]) {
        if (args[0] === 'list' && args.includes('--name')) return `${UUID} web\n`;
        if (args[0] === 'domstats') return "Domain: 'web'\n  state.state=1\n  state.reason=1\n";
        return '';
      },
      async stream(_args: readonly string[], _onLine: unknown, onEnd: () => void) {
        open++;
        // Closing ends the stream later, as an SSH channel's close arrives.
        return { close: () => ends.push(() => (open--, onEnd())) };
      },
    } as unknown as Virsh;
    const inventory = new HostInventory('h1', virsh, () => undefined, () => undefined);
    await inventory.start();
    inventory.stop(); // libvirt went away
    await inventory.start(); // and is back before the old channel said it closed
    for (const end of ends.splice(0)) end();
    await vi.advanceTimersByTimeAsync(5000);
    expect(open).toBe(1);
    inventory.stop();
  });
});

describe('architectures and containers', () => {
  it('reads each VM\'s architecture once, and lists again with it', async () => {
    const reads: string[] = [];
    const virsh = {
      async run(args: readonly string[]) {
        if (args[0] === 'list' && args.includes('--name')) return `${UUID} pi\n`;
        if (args[0] === 'domstats') return "Domain: 'pi'\n  state.state=5\n  state.reason=0\n";
        if (args[0] === 'dumpxml') {
          reads.push(args.at(-1)!);
          return ' arch="aarch64"\n';
        }
        return '';
      },
      async stream() {
        return { close() {} };
      },
    } as unknown as Virsh;
    const seen: Array<Array<string | undefined>> = [];
    const inventory = new HostInventory('h1', virsh, (vms) => seen.push(vms.map((vm) => vm.arch)), () => undefined);
    await inventory.start();
    await vi.waitFor(() => expect(seen.at(-1)).toEqual(['aarch64']));
    await inventory.refresh();
    expect(seen.at(-1)).toEqual(['aarch64']);
    expect(reads).toEqual([UUID]);
    inventory.stop();
  });

  it('lists an LXC driver\'s containers from the state filters and dominfo (no domstats there)', async () => {
    const B = '11111111-2222-4333-8444-555555555555';
    const calls: string[] = [];
    const virsh = {
      async run(args: readonly string[]) {
        calls.push(args.join(' '));
        if (args.join(' ') === 'list --all --uuid --name') return `${UUID} box-1\n${B} it's a box\n`;
        if (args.includes('--state-running')) return `${B}\n`;
        if (args.includes('--autostart')) return `${UUID}\n`;
        if (args[0] === 'dominfo') return 'CPU(s):         1\nMax memory:     65536 KiB\n';
        return '';
      },
      async stream() {
        return { close() {} };
      },
    } as unknown as Virsh;
    let listed: VmSummary[] = [];
    const inventory = new HostInventory('h5', virsh, (vms) => (listed = vms), () => undefined, 'lxc');
    await inventory.start();
    expect(listed.map((c) => [c.name, c.driver, c.state, c.autostart, c.memoryKiB])).toEqual([
      ['box-1', 'lxc', 'shutoff', true, 65536],
      ["it's a box", 'lxc', 'running', false, 65536],
    ]);
    expect(calls.some((c) => c.startsWith('domstats'))).toBe(false);
    inventory.stop();
  });
});
