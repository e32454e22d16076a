// Each device module's value lists are what its validation accepts: one list, used by every edit
// of that device (and exported for the UI).
import { describe, expect, test } from 'vitest';
import {
  COMMON_NIC_MODELS, DISK_BUSES, type DomainEdit, FILESYSTEM_DRIVERS, INPUT_BUSES, INPUT_TYPES, MEMBALLOON_MODELS, NIC_MODELS, RNG_BACKENDS,
  VIDEO_MODELS, VIRTIO_NIC_MODELS, WATCHDOG_ACTIONS, WATCHDOG_MODELS, applyEdits, readDomain,
} from '../index';
import { RHEL9_Q35 } from '../test-support';

const ok = (edits: DomainEdit[]) => readDomain(applyEdits(RHEL9_Q35, edits));
const refused = (edits: DomainEdit[]) => expect(() => applyEdits(RHEL9_Q35, edits));

describe('value lists drive validation', () => {
  test('NIC_MODELS is the one list set-nic-model and add-nic accept', () => {
    for (const model of NIC_MODELS) {
      expect(ok([{ kind: 'set-nic-model', index: 0, model }]).interfaces[0]!.model).toBe(model);
      expect(ok([{ kind: 'add-nic', source: { type: 'network', network: 'default' }, model }]).interfaces.at(-1)!.model).toBe(model);
    }
    const expected = `(expected one of: ${NIC_MODELS.join(', ')})`;
    refused([{ kind: 'set-nic-model', index: 0, model: 'virtio-net' }]).toThrow(expected);
    refused([{ kind: 'add-nic', source: { type: 'network', network: 'default' }, model: 'virtio-net' }]).toThrow(expected);
    for (const m of [...COMMON_NIC_MODELS, ...VIRTIO_NIC_MODELS]) expect(NIC_MODELS).toContain(m);
  });

  test('VIDEO_MODELS is what set-video-model accepts', () => {
    for (const model of VIDEO_MODELS) expect(ok([{ kind: 'set-video-model', model }]).videos[0]!.model).toBe(model);
    refused([{ kind: 'set-video-model', model: 'voodoo' as 'vga' }]).toThrow(`(expected one of: ${VIDEO_MODELS.join(', ')})`);
  });

  test('DISK_BUSES is what set-disk-bus and add-disk accept', () => {
    const expected = `(expected one of: ${DISK_BUSES.join(', ')})`;
    refused([{ kind: 'set-disk-bus', target: 'vda', bus: 'xen' as 'virtio' }]).toThrow(expected);
    refused([{ kind: 'add-disk', bus: 'xen' as 'virtio', source: { file: '/x.qcow2' } }]).toThrow(expected);
    for (const bus of DISK_BUSES.filter((b) => b !== 'ide')) {
      expect(ok([{ kind: 'add-disk', bus, source: { file: '/x.qcow2' } }]).disks.at(-1)!.bus).toBe(bus);
    }
  });

  test('the watchdog, balloon, RNG and input lists', () => {
    for (const model of WATCHDOG_MODELS) for (const action of WATCHDOG_ACTIONS) {
      expect(ok([{ kind: 'set-watchdog', watchdog: { model, action } }]).watchdog).toEqual({ index: 0, model, action });
    }
    for (const model of MEMBALLOON_MODELS) expect(ok([{ kind: 'set-memballoon-model', model }]).memballoon!.model).toBe(model);
    for (const backend of RNG_BACKENDS) expect(ok([{ kind: 'add-rng', backend }]).rngs.at(-1)!.backend).toBe(backend);
    for (const type of INPUT_TYPES) for (const bus of INPUT_BUSES.filter((b) => b !== 'ps2')) {
      expect(ok([{ kind: 'add-input', type, bus }]).inputs.at(-1)).toMatchObject({ type, bus });
    }
  });
});

describe('tpm, filesystem and hostdev: read and removed', () => {
  const xml = RHEL9_Q35.replace(
    '</devices>',
    `  <tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>
    <filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/><source dir='/srv/share'/><target dir='share'/><readonly/></filesystem>
    <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x03' slot='0x00' function='0x0'/></source><boot order='3'/></hostdev>
    <hostdev mode='subsystem' type='usb'><source><vendor id='0x1050'/><product id='0x0010'/></source></hostdev>
  </devices>`,
  );

  test('readDomain reads them', () => {
    const v = readDomain(xml);
    expect(v.tpms).toEqual([{ index: 0, model: 'tpm-crb', backendType: 'emulator', backendVersion: '2.0', device: null }]);
    expect(v.filesystems).toEqual([{ index: 0, type: 'mount', driver: 'virtiofs', accessMode: 'passthrough', source: '/srv/share', target: 'share', readonly: true }]);
    expect(FILESYSTEM_DRIVERS).toContain(v.filesystems[0]!.driver);
    expect(v.hostdevs).toEqual([
      { index: 0, mode: 'subsystem', type: 'pci', managed: true, source: { domain: '0x0000', bus: '0x03', slot: '0x00', function: '0x0' }, bootOrder: 3 },
      { index: 1, mode: 'subsystem', type: 'usb', managed: null, source: { vendor: '0x1050', product: '0x0010' }, bootOrder: null },
    ]);
    expect(readDomain(RHEL9_Q35)).toMatchObject({ tpms: [], filesystems: [], hostdevs: [] });
  });

  test('remove-device removes them', () => {
    const out = applyEdits(xml, [
      { kind: 'remove-device', device: 'tpm', index: 0 },
      { kind: 'remove-device', device: 'filesystem', index: 0 },
      { kind: 'remove-device', device: 'hostdev', index: 1 },
    ]);
    const v = readDomain(out);
    expect(v.tpms).toEqual([]);
    expect(v.filesystems).toEqual([]);
    expect(v.hostdevs.map((h) => h.type)).toEqual(['pci']);
  });
});
