// The fallback for a QEMU without x-query-virtio, on replies captured from this lab's QEMU 7.2
// (hv2, `virsh qemu-monitor-command`) running the lab guest with a virtio-scsi controller, a
// virtio and an IDE disk, an e1000 and a virtio NIC, virtio video, balloon and RNG: query-pci,
// and the balloon's qom-get guest-stats once booted with vd.skip=virtio_balloon (no driver: it
// never reported) and once with its driver loaded. fallback-live.xml is that VM's running XML.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { advise, deviceAliases, readDomain } from '../domain-xml';
import { balloonLastUpdate, driverProof, fallbackReport, parsePciVirtio, qmpReturn, qmpView, virtioPciType } from './index';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const LIVE = fixture('fallback-live.xml');
const pci = () => parsePciVirtio(qmpReturn(fixture('pci.json')));
const MISSING = ['x-query-virtio', 'x-query-virtio-status'];
const PCI_EXPECTED = [
  { address: '00:02.0', type: 'virtio-gpu', qdevId: 'video0' },
  { address: '00:04.0', type: 'virtio-net', qdevId: 'net1' },
  { address: '00:05.0', type: 'virtio-scsi', qdevId: 'scsi0' },
  { address: '00:06.0', type: 'virtio-blk', qdevId: 'virtio-disk0' },
  { address: '00:07.0', type: 'virtio-balloon', qdevId: 'balloon0' },
  { address: '00:08.0', type: 'virtio-rng', qdevId: 'rng0' },
];
const STATES_WITH_DRIVER = [
  [{ tag: 'video', id: '0' }, 'unknown'],
  [{ tag: 'interface', id: '52:54:00:d0:0f:12' }, 'unknown'],
  [{ tag: 'controller', id: 'scsi:0' }, 'unknown'],
  [{ tag: 'disk', id: 'vda' }, 'unknown'],
  [{ tag: 'memballoon', id: '0' }, 'ready'],
  [{ tag: 'rng', id: '0' }, 'unknown'],
];

describe('query-pci', () => {
  test('virtio ids: transitional ones by subsystem, modern ones by device id; other vendors none', () => {
    expect(virtioPciType(0x1af4, 0x1000, 1)).toBe('virtio-net');
    expect(virtioPciType(0x1af4, 0x1004, 8)).toBe('virtio-scsi');
    expect(virtioPciType(0x1af4, 0x1041, 1)).toBe('virtio-net');
    expect(virtioPciType(0x1af4, 0x1050, 0x1100)).toBe('virtio-gpu');
    expect(virtioPciType(0x8086, 0x100e, 0x1100)).toBeNull(); // the e1000
    expect(virtioPciType(0x1af4, 0x1100, 0)).toBeNull(); // QEMU's other devices (e.g. its PCI host bridge's subsystem)
  });

  test('the virtio functions of the lab guest, with the ids libvirt gave them', () => {
    expect(pci()).toEqual(PCI_EXPECTED);
  });

  test('the panel shows them as a table', () => {
    expect(qmpView('query-pci', fixture('pci.json'))!.tables[0]!.rows).toEqual(PCI_EXPECTED.map((d) => [d.address, `${d.type} (${d.qdevId})`]));
  });
});

describe('what can be told without x-query-virtio', () => {
  test("the balloon's driver sent statistics: ready; the others unknown, never guessed", () => {
    const at = balloonLastUpdate(qmpReturn(fixture('guest-stats-driver.json')));
    expect(at).toBeGreaterThan(1_700_000_000);
    const r = fallbackReport(1, MISSING, pci(), at, deviceAliases(LIVE));
    expect(r).toMatchObject({ running: true, supported: false });
    expect(r.note).toContain('does not offer x-query-virtio and x-query-virtio-status');
    expect(r.devices.map((d) => [d.ref, d.state])).toEqual(STATES_WITH_DRIVER);
    expect(r.devices.find((d) => d.type === 'virtio-blk')!.basis).toContain('not whether the guest drives it');
  });

  test('a balloon whose driver never reported is unknown too', () => {
    const at = balloonLastUpdate(qmpReturn(fixture('guest-stats-nodriver.json')));
    expect(at).toBe(0);
    const r = fallbackReport(1, MISSING, pci(), at, deviceAliases(LIVE));
    expect(r.devices.every((d) => d.state === 'unknown')).toBe(true);
    expect(r.devices.find((d) => d.type === 'virtio-balloon')!.basis).toBe('its driver has sent no memory statistics (yet)');
  });

  test('query-pci failing leaves nothing to show but the reason; the advisor then has no proof', () => {
    const r = fallbackReport(1, MISSING, new Error('boom'), null, deviceAliases(LIVE));
    expect(r.devices).toEqual([]);
    expect(r.note).toContain('query-pci failed (boom)');
    expect(driverProof(r)).toBeUndefined();
  });

  test('the advisor on that proof: unknown states leave the tuning to the admin, outside Apply all', () => {
    const r = fallbackReport(1, MISSING, pci(), 0, deviceAliases(LIVE));
    const view = readDomain(LIVE);
    const findings = advise(view, { guestDrivers: driverProof(r) });
    const nic = findings.find((f) => f.id === 'nic-model-gate');
    expect(nic).toMatchObject({ fixLabel: 'Switch anyway', inApplyAll: false });
    expect(nic!.title).toContain('is unknown');
  });
});
