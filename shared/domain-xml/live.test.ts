import { describe, expect, expectTypeOf, test } from 'vitest';
import type { Methods } from '../contract';
import { EDIT_HANDLERS } from './edits';
import {
  type DomainEdit, type DomainEditKind, type LiveEditKind, type LiveRule, type QmpQuery, LIVE_EDIT_KINDS, QMP_QUERIES, canHotplug, editLiveRule,
  isLiveEdit, readDomain,
} from './index';
import { RHEL9_Q35 } from './test-support';

// Today's rules, one per kind: a kind added without a row here does not compile.
const EXPECTED: Record<Exclude<DomainEditKind, 'remove-device'>, LiveRule> = {
  'set-title': { mode: 'live' },
  'set-description': { mode: 'live' },
  'set-vcpus': { mode: 'live' },
  'set-cpu-mode': { mode: 'next-boot' },
  'set-cpu-topology': { mode: 'next-boot' },
  'set-memory': { mode: 'live' },
  'set-boot-order': { mode: 'next-boot' },
  'set-boot-devs': { mode: 'next-boot' },
  'set-boot-menu': { mode: 'next-boot' },
  'set-guest-numa': { mode: 'next-boot' },
  'set-disk-bus': { mode: 'next-boot' },
  'set-disk-driver': { mode: 'next-boot' },
  'set-disk-flags': { mode: 'next-boot' },
  'change-media': { mode: 'live' },
  'add-disk': { mode: 'hotplug', device: 'disk' },
  'add-controller': { mode: 'next-boot' },
  'replace-scsi-controller-with-virtio-scsi': { mode: 'next-boot' },
  'set-nic-model': { mode: 'next-boot' },
  'set-nic-source': { mode: 'live' },
  'set-nic-mac': { mode: 'next-boot' },
  'set-nic-link': { mode: 'live' },
  'add-nic': { mode: 'hotplug', device: 'interface' },
  'set-graphics': { mode: 'next-boot' },
  'add-graphics': { mode: 'next-boot' },
  'set-video-model': { mode: 'next-boot' },
  'set-memballoon-model': { mode: 'next-boot' },
  'set-memballoon-stats-period': { mode: 'live' },
  'add-guest-agent-channel': { mode: 'next-boot' },
  'add-serial': { mode: 'next-boot' },
  'set-console-target': { mode: 'next-boot' },
  'add-rng': { mode: 'hotplug', device: 'rng' },
  'set-watchdog': { mode: 'next-boot' },
  'add-input': { mode: 'hotplug', device: 'input' },
  'set-input': { mode: 'next-boot' },
  'set-sound-model': { mode: 'next-boot' },
  'add-sound': { mode: 'next-boot' },
  'add-redirdev': { mode: 'hotplug', device: 'redirdev' },
  'set-tpm': { mode: 'next-boot' },
  'add-filesystem': { mode: 'next-boot' },
  'set-vsock': { mode: 'next-boot' },
  'add-hostdev': { mode: 'hotplug', device: 'hostdev' },
  'add-device': { mode: 'next-boot' },
};

describe('live rules', () => {
  test('every edit kind has a handler and a live rule, and the rules are today’s', () => {
    const kinds = Object.keys(EDIT_HANDLERS).sort();
    expect(kinds).toEqual([...Object.keys(EXPECTED), 'remove-device'].sort());
    for (const [kind, rule] of Object.entries(EXPECTED)) {
      const h = EDIT_HANDLERS[kind as DomainEditKind];
      expect(typeof h.apply, kind).toBe('function');
      expect(editLiveRule({ kind } as DomainEdit), kind).toEqual(rule);
    }
  });

  test('remove-device detaches the hot-pluggable kinds live, the rest at the next boot', () => {
    const rule = (device: string) => editLiveRule({ kind: 'remove-device', device, index: 0 } as DomainEdit);
    expect(rule('interface')).toEqual({ mode: 'hotplug', device: 'interface' });
    expect(rule('disk')).toEqual({ mode: 'hotplug', device: 'disk' });
    expect(rule('rng')).toEqual({ mode: 'hotplug', device: 'rng' });
    expect(rule('input')).toEqual({ mode: 'hotplug', device: 'input' });
    expect(rule('redirdev')).toEqual({ mode: 'hotplug', device: 'redirdev' });
    expect(rule('hostdev')).toEqual({ mode: 'hotplug', device: 'hostdev' });
    for (const d of ['controller', 'serial', 'channel', 'watchdog', 'graphics', 'video', 'tpm', 'filesystem', 'sound', 'vsock']) {
      expect(rule(d), d).toEqual({ mode: 'next-boot' });
    }
  });

  test('the live kinds, as a list and as a type the backend switches over', () => {
    const live = ['set-title', 'set-description', 'set-vcpus', 'set-memory', 'change-media', 'set-nic-link', 'set-nic-source', 'set-memballoon-stats-period'] as const;
    expect([...LIVE_EDIT_KINDS].sort()).toEqual([...live].sort());
    expectTypeOf<LiveEditKind>().toEqualTypeOf<(typeof live)[number]>();
    expect(isLiveEdit({ kind: 'set-nic-link', index: 0, state: 'down' })).toBe(true);
    expect(isLiveEdit({ kind: 'set-nic-model', index: 0, model: 'virtio' })).toBe(false);
  });

  test('canHotplug: by bus for disks and inputs, virtio RNGs, every NIC', () => {
    const v = readDomain(RHEL9_Q35);
    v.disks.forEach((d, i) => expect(canHotplug(v, 'disk', i), d.target ?? '').toBe(['virtio', 'scsi', 'usb'].includes(d.bus ?? '')));
    v.inputs.forEach((x, i) => expect(canHotplug(v, 'input', i)).toBe(x.bus === 'usb' || x.bus === 'virtio'));
    v.interfaces.forEach((_, i) => expect(canHotplug(v, 'interface', i)).toBe(true));
    expect(canHotplug(v, 'interface', v.interfaces.length)).toBe(false);
    expect(canHotplug({ ...v, rngs: [{ index: 0, model: 'virtio', backendModel: 'random', backend: '/dev/urandom' }] }, 'rng', 0)).toBe(true);
    expect(canHotplug({ ...v, rngs: [{ index: 0, model: 'egd', backendModel: null, backend: null }] }, 'rng', 0)).toBe(false);
    expect(canHotplug({ ...v, redirdevs: [{ index: 0, bus: 'usb', type: 'spicevmc' }] }, 'redirdev', 0)).toBe(true);
    expect(canHotplug(v, 'redirdev', 0)).toBe(false);
    const hostdev = (type: string, mode = 'subsystem') => ({ ...v, hostdevs: [{ index: 0, mode, type, managed: true, source: null, bootOrder: null }] });
    expect(canHotplug(hostdev('pci'), 'hostdev', 0)).toBe(true);
    expect(canHotplug(hostdev('usb'), 'hostdev', 0)).toBe(true);
    expect(canHotplug(hostdev('scsi'), 'hostdev', 0)).toBe(false);
    expect(canHotplug(hostdev('storage', 'capabilities'), 'hostdev', 0)).toBe(false);
  });

  test('the QMP query list is the one the contract allows', () => {
    expectTypeOf<QmpQuery>().toEqualTypeOf<Methods['vm.qmp']['params']['command']>();
    expect(new Set(QMP_QUERIES).size).toBe(QMP_QUERIES.length);
  });
});
