// Edits arrive over the wire from a renderer (or anyone holding the browser-mode token): the
// dispatcher checks only their `kind`, so every handler must refuse a field of the wrong type
// or range with an error, and never write `undefined`, `NaN` or `[object Object]` into the XML.
// Each valid edit below has each field replaced by each malformed value in turn.
import { describe, expect, test } from 'vitest';
import { applyEdits, type DomainEdit } from './index';
import { RHEL9_Q35 } from './test-support';

const VALID: DomainEdit[] = [
  { kind: 'set-memory', currentKiB: 1048576, maxKiB: 2097152 },
  { kind: 'set-vcpus', current: 1, max: 2 },
  { kind: 'set-title', title: 't' },
  { kind: 'set-description', description: 'd' },
  { kind: 'set-disk-bus', target: 'sda', bus: 'scsi' },
  { kind: 'set-disk-flags', target: 'sda', readonly: true, serial: 'S1' },
  { kind: 'set-disk-driver', target: 'sda', cache: 'none', io: 'native' },
  { kind: 'set-nic-model', index: 0, model: 'virtio' },
  { kind: 'set-nic-mac', index: 0, mac: '52:54:00:00:00:01' },
  { kind: 'set-nic-link', index: 0, state: 'down' },
  { kind: 'set-nic-source', index: 0, source: { type: 'bridge', bridge: 'br0' } },
  { kind: 'add-nic', source: { type: 'network', network: 'default' }, model: 'virtio', mac: '52:54:00:00:00:02' },
  { kind: 'set-memballoon-model', model: 'virtio' },
  { kind: 'set-memballoon-stats-period', periodS: 5 },
  { kind: 'set-cpu-mode', mode: 'host-passthrough' },
  { kind: 'set-cpu-topology', topology: { sockets: 1, cores: 2, threads: 2 } },
  { kind: 'set-boot-menu', enabled: true, timeoutMs: 3000 },
  { kind: 'set-watchdog', watchdog: { model: 'i6300esb', action: 'reset' } },
  { kind: 'add-controller', type: 'virtio-serial' },
  { kind: 'add-disk', bus: 'virtio', source: { pool: 'default', volume: 'new.qcow2' } },
  { kind: 'add-input', type: 'keyboard', bus: 'virtio' },
  { kind: 'remove-device', device: 'serial', index: 0 },
  { kind: 'set-graphics', index: 0, listen: '127.0.0.1', port: 5910 },
  { kind: 'set-guest-numa', cells: 2 },
] as DomainEdit[];

const MALFORMED: unknown[] = [undefined, null, 'x', -1, 1.5, Number.NaN, {}, [], true, '<a/>', 1e300];
const GARBAGE = /undefined|NaN|\[object Object\]|Infinity|<a\/>|1e\+300/;

describe('malformed edit fields are refused or harmless, never half-written', () => {
  for (const valid of VALID) {
    test(`${valid.kind}: every field, every malformed value`, () => {
      expect(() => applyEdits(RHEL9_Q35, [valid])).not.toThrow();
      const fields = Object.keys(valid).filter((k) => k !== 'kind');
      const accepted: string[] = [];
      for (const field of fields) {
        for (const bad of MALFORMED) {
          const edit = { ...valid, [field]: bad } as DomainEdit;
          let out: string;
          try {
            out = applyEdits(RHEL9_Q35, [edit]);
          } catch (err) {
            expect((err as Error).message.length).toBeGreaterThan(0);
            continue;
          }
          // A flag given something other than true/false is refused, never read as truthy.
          if (typeof (valid as unknown as Record<string, unknown>)[field] === 'boolean' && bad !== undefined && typeof bad !== 'boolean') accepted.push(`${field}=${JSON.stringify(bad)}: accepted for a flag`);
          // Accepted (an optional field left out, say): then nothing odd reached the XML.
          const added = out.split('\n').filter((l) => !RHEL9_Q35.includes(l));
          if (added.some((l) => GARBAGE.test(l))) accepted.push(`${field}=${JSON.stringify(bad) ?? 'undefined'}: ${added.join(' ').slice(0, 200)}`);
        }
      }
      expect(accepted).toEqual([]);
    });
  }
});
