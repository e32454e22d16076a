import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { METHODS, type Method } from '../../shared/contract/index.js';
import { allHandlers, Backend } from './backend';
import { ConsoleError } from './consoles/console-manager';
import { createDispatcher, toApiError, type Handlers } from './dispatch';
import { UserError } from './errors';
import { RemoteCommandError } from './exec/session';
import { DomainEditError } from './libvirt/domain-editor';
import type { ServiceContext } from './services/context';

/** A handler for every method that answers with what it was given. */
function echoHandlers(): Handlers & Record<string, ReturnType<typeof vi.fn>> {
  return Object.fromEntries(METHODS.map((m) => [m, vi.fn(async (p: unknown) => ({ method: m, params: p }))])) as never;
}

describe('the dispatcher', () => {
  it('refuses a method the contract does not name, without running anything', async () => {
    const handlers = echoHandlers();
    const dispatch = createDispatcher(handlers);
    for (const name of ['no.such.method', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '', 42, null, undefined, { method: 'hosts.list' }]) {
      expect(await dispatch(name, {})).toEqual({ ok: false, error: { code: 'invalid-input', message: `Unknown method: ${String(name)}` } });
    }
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
  });

  it('runs the named method with its parameters; none at all is an empty object', async () => {
    const dispatch = createDispatcher(echoHandlers());
    expect(await dispatch('hosts.remove', { hostId: 'h1' })).toEqual({ ok: true, value: { method: 'hosts.remove', params: { hostId: 'h1' } } });
    expect(await dispatch('hosts.list', undefined)).toEqual({ ok: true, value: { method: 'hosts.list', params: {} } });
    expect(await dispatch('hosts.list', null)).toEqual({ ok: true, value: { method: 'hosts.list', params: {} } });
  });

  it('refuses parameters that are not an object of named fields, saying which method', async () => {
    const handlers = echoHandlers();
    const dispatch = createDispatcher(handlers);
    for (const params of ['h1', 42, true, ['h1']]) {
      expect(await dispatch('hosts.remove', params)).toEqual({
        ok: false,
        error: { code: 'invalid-input', message: expect.stringMatching(/^hosts\.remove: the parameters must be an object of named fields, not /) },
      });
    }
    expect(handlers['hosts.remove']).not.toHaveBeenCalled();
  });

  it('security: refuses parameters of the wrong type per the contract, before any handler runs', async () => {
    const handlers = echoHandlers();
    const dispatch = createDispatcher(handlers);
    const refused: Array<[Method, unknown, string]> = [
      ['hosts.add', { target: 'hv1', label: 5 }, 'hosts.add: label must be a string, not number 5'],
      ['hosts.add', { label: 'x' }, 'hosts.add: target is required (a string)'],
      ['hosts.add', { target: 'hv1', autoconnect: 'yes' }, 'hosts.add: autoconnect must be true or false, not the string "yes"'],
      ['hosts.remove', { hostId: { toString: 'x' } }, 'hosts.remove: hostId must be a string, not an object'],
      ['prompt.answer', { promptId: 'p', answers: ['ok', 7] }, 'prompt.answer: answers[1] must be a string, not number 7'],
      ['prompt.answer', { promptId: 'p' }, 'prompt.answer: answers is required (an array)'],
      ['stats.setInterval', { intervalMs: '2000' }, 'stats.setInterval: intervalMs must be a number, not the string "2000"'],
      ['vm.delete', { hostId: 'h', name: 'a', storage: 'vda' }, 'vm.delete: storage must be an array, not the string "vda"'],
      ['vm.applyEdits', { hostId: 'h', name: 'a', baseXml: '<domain/>', edits: [null] }, 'vm.applyEdits: edits[0] must be an object, not null'],
      ['vm.applyEdits', { hostId: 'h', name: 'a', baseXml: '', edits: [], newVolumes: [{ pool: 'p', name: 'v', capacityMiB: 1, format: 'vmdk' }] }, 'vm.applyEdits: newVolumes[0].format must be one of qcow2, raw, not the string "vmdk"'],
      ['vm.qmp', { hostId: 'h', name: 'a', command: 'human-monitor-command' }, 'vm.qmp: command must be one of query-status, query-block, query-blockstats, query-pci, query-balloon, query-cpus-fast, x-query-virtio, query-commands, not the string "human-monitor-command"'],
      ['console.open', { hostId: 'h', kind: 'rdp' }, 'console.open: kind must be one of vnc, spice, serial, shell, not the string "rdp"'],
    ];
    for (const [method, params, message] of refused) {
      expect(await dispatch(method, params)).toEqual({ ok: false, error: { code: 'invalid-input', message } });
      expect(handlers[method]).not.toHaveBeenCalled();
    }
  });

  it('security: hands a handler only the fields the contract names, optional ones only when given', async () => {
    const dispatch = createDispatcher(echoHandlers());
    expect(await dispatch('hosts.add', { target: 'hv1', label: undefined, __proto__: { admin: true }, extra: 'x' })).toEqual({
      ok: true,
      value: { method: 'hosts.add', params: { target: 'hv1' } },
    });
    expect(await dispatch('stats.setInterval', { intervalMs: null })).toEqual({ ok: true, value: { method: 'stats.setInterval', params: { intervalMs: null } } });
    expect(await dispatch('hosts.list', { junk: 1 })).toEqual({ ok: true, value: { method: 'hosts.list', params: {} } });
  });

  it('maps what a handler throws to the contract error codes, never throwing itself', async () => {
    const cases: Array<[unknown, { code: string; message: string }]> = [
      [new UserError('not-found', 'No connection with id x'), { code: 'not-found', message: 'No connection with id x' }],
      [new DomainEditError('bad edit'), { code: 'invalid-input', message: 'bad edit' }],
      [new ConsoleError('spice-only', 'SPICE only'), { code: 'spice-only', message: 'SPICE only' }],
      [new RemoteCommandError('domain not found', { stdout: '', stderr: 'error: domain not found', code: 1 }), { code: 'libvirt', message: 'domain not found' }],
      // A system error's own code (ENOENT …) is not a contract code.
      [Object.assign(new Error('spawn virsh ENOENT'), { code: 'ENOENT' }), { code: 'error', message: 'spawn virsh ENOENT' }],
      ['a string', { code: 'error', message: 'a string' }],
    ];
    for (const [thrown, error] of cases) {
      expect(toApiError(thrown)).toEqual(error);
      const dispatch = createDispatcher({ ...echoHandlers(), 'vm.dominfo': async () => Promise.reject(thrown) });
      expect(await dispatch('vm.dominfo', { hostId: 'h', name: 'a' })).toEqual({ ok: false, error });
    }
  });

  it('does not compile without a handler for every method', () => {
    const { 'vm.qmp': _served, ...missingOne } = echoHandlers();
    // @ts-expect-error vm.qmp has no handler
    expect(() => createDispatcher(missingOne)).not.toThrow();
  });

  it('has a handler from the services for every method the contract names, and no other', () => {
    const served = Object.keys(allHandlers({} as ServiceContext)).sort();
    expect(served).toEqual([...METHODS].sort());
  });
});

describe('the backend behind the dispatcher keeps its guards', () => {
  const call = async (method: Method | string, params: unknown) => {
    const backend = new Backend({ dataDir: mkdtempSync(join(tmpdir(), 'vd-dispatch-')), sshConfigPath: '/dev/null' });
    try {
      return await backend.call(method, params);
    } finally {
      await backend.close();
    }
  };

  it('answers unknown methods and bad parameters as data', async () => {
    expect(await call('hosts.nuke', {})).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'Unknown method: hosts.nuke' } });
    expect(await call('hosts.add', 'hv1')).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('refuses what each method checks, with its own words', async () => {
    expect(await call('vm.action', { hostId: 'h', name: 'a', action: 'explode' })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/^vm\.action: action must be one of start, shutdown, .*, not the string "explode"$/) },
    });
    expect(await call('stats.setInterval', { intervalMs: 5 })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'The stats interval must be between 500 ms and 60 s' },
    });
    expect(await call('hosts.add', { target: 'hv1', libvirtUri: 'not a uri', autoconnect: false })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'Not a libvirt URI: not a uri' },
    });
    expect(await call('hosts.add', { target: 'local', libvirtUri: 'qemu+ext:///system?command=/bin/true', autoconnect: false })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'Refused qemu+ext:///system?command=/bin/true: the "ext" transport runs a program on this machine' },
    });
    expect(await call('hosts.add', { target: 'qemu:///system?command=/bin/true', autoconnect: false })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('"command=" is not allowed') } });
    expect(await call('hosts.remove', { hostId: 'nope' })).toEqual({ ok: false, error: { code: 'not-found', message: 'No connection with id nope' } });
    expect(await call('vm.dominfo', { hostId: 'nope', name: 'a' })).toEqual({ ok: false, error: { code: 'not-found', message: 'No connection with id nope' } });
  });
});
