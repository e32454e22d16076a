// The QMP readers against replies captured from this lab's QEMU 7.2 (a guest booted with
// vd.skip=virtio_scsi: its virtio-scsi controller shows ACKNOWLEDGE only, until `modprobe
// virtio_scsi` at its console, after which it shows DRIVER_OK).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { deviceAliases } from '../domain-xml';
import {
  QmpError, aliasOfPath, buildVirtioReport, commandNames, deviceState, driverProof, driverState, notRunningReport, parseVirtioList, parseVirtioStatus,
  qmpReturn, reportSignature, type VirtioStatus,
} from './index';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const status = (name: string) => parseVirtioStatus(qmpReturn(fixture(name)));

// The running XML libvirt would give for those devices (aliases = QEMU's device ids).
const LIVE = `<domain type='qemu' id='3'><name>q</name><devices>
  <disk type='file' device='disk'><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>
  <disk type='file' device='disk'><target dev='hda' bus='ide'/><alias name='ide0-0-0'/></disk>
  <controller type='scsi' index='0' model='virtio-scsi'><alias name='scsi0'/></controller>
  <controller type='usb' index='0'><alias name='usb'/></controller>
  <interface type='bridge'><mac address='52:54:00:AB:00:01'/><model type='virtio'/><alias name='net0'/></interface>
  <memballoon model='virtio'><alias name='balloon0'/></memballoon>
</devices></domain>`;

describe('QMP replies', () => {
  test('a return, and QEMU\'s error as QmpError with its class', () => {
    expect(qmpReturn('{"return": {}, "id": "libvirt-7"}')).toEqual({});
    expect(() => qmpReturn('{"id":"libvirt-8","error":{"class":"CommandNotFound","desc":"The command x-query-virtio has not been found"}}')).toThrow(QmpError);
    expect(() => qmpReturn('{"error":{"class":"CommandNotFound","desc":"The command x-query-virtio has not been found"}}')).toThrow(/has not been found \(CommandNotFound\)/);
    expect(() => qmpReturn('error: domain is not running')).toThrow(/not a QMP reply/);
    expect(() => qmpReturn('[1]')).toThrow(/not an object/);
  });

  test('query-commands names what QEMU offers', () => {
    const names = commandNames(qmpReturn('{"return": [{"name": "x-query-virtio"}, {"name": "query-status"}, {"bogus": 1}]}'));
    expect([...names]).toEqual(['x-query-virtio', 'query-status']);
  });
});

describe('x-query-virtio and x-query-virtio-status (QEMU 7.2)', () => {
  test('the device list with QOM paths, and libvirt aliases from them', () => {
    const list = parseVirtioList(qmpReturn(fixture('virtio.json')));
    expect(list.map((d) => d.type)).toEqual(['virtio-balloon', 'virtio-scsi', 'virtio-net', 'virtio-blk']);
    expect(list.map((d) => aliasOfPath(d.path))).toEqual(['balloon0', 'scsi0', 'net0', 'virtio-disk0']);
    expect(aliasOfPath('/machine/unattached/device[3]/virtio-backend')).toBeNull();
  });

  test('status bits by name; DRIVER_OK is ready, ACKNOWLEDGE alone is no driver', () => {
    expect(status('status-virtio-disk0.json')).toEqual({ type: 'virtio-blk', statuses: ['ACKNOWLEDGE', 'DRIVER', 'FEATURES_OK', 'DRIVER_OK'], broken: false });
    expect(driverState(status('status-virtio-disk0.json'))).toBe('ready');
    expect(driverState(status('status-net0.json'))).toBe('ready');
    expect(driverState(status('status-balloon0.json'))).toBe('ready');
    expect(status('status-scsi0.json').statuses).toEqual(['ACKNOWLEDGE']);
    expect(driverState(status('status-scsi0.json'))).toBe('none');
    expect(driverState(status('status-scsi0-after.json'))).toBe('ready');
  });

  test('a driver that took the device but did not start it, and a failed one', () => {
    const s = (statuses: string[], broken = false): VirtioStatus => ({ type: 'virtio-scsi', statuses, broken });
    expect(driverState(s(['ACKNOWLEDGE', 'DRIVER']))).toBe('found');
    expect(driverState(s(['ACKNOWLEDGE', 'DRIVER', 'FEATURES_OK']))).toBe('found');
    expect(driverState(s(['ACKNOWLEDGE', 'DRIVER', 'FEATURES_OK', 'DRIVER_OK', 'NEEDS_RESET']))).toBe('failed');
    expect(driverState(s(['ACKNOWLEDGE', 'FAILED']))).toBe('failed');
    expect(driverState(s(['ACKNOWLEDGE', 'DRIVER', 'FEATURES_OK', 'DRIVER_OK'], true))).toBe('failed');
    expect(driverState(s([]))).toBe('none');
  });
});

describe('the report', () => {
  const list = parseVirtioList(qmpReturn(fixture('virtio.json')));
  const statuses = new Map<string, VirtioStatus | Error>(list.map((d) => [d.path, status(`status-${aliasOfPath(d.path)}.json`)]));

  test('each virtio device with the libvirt device it is and its state', () => {
    const r = buildVirtioReport(1, list, statuses, deviceAliases(LIVE));
    expect(r.devices.map((d) => [d.ref, d.state])).toEqual([
      [{ tag: 'memballoon', id: '0' }, 'ready'],
      [{ tag: 'controller', id: 'scsi:0' }, 'none'],
      [{ tag: 'interface', id: '52:54:00:ab:00:01' }, 'ready'],
      [{ tag: 'disk', id: 'vda' }, 'ready'],
    ]);
    expect(deviceState(r, { tag: 'disk', id: 'vda' })?.statuses).toContain('DRIVER_OK');
    expect(deviceState(r, { tag: 'disk', id: 'hda' })).toBeNull();
    expect(driverProof(r)?.devices).toHaveLength(4);
  });

  test('a status that could not be read is unknown, never guessed', () => {
    const failing = new Map(statuses);
    failing.set(list[1]!.path, new Error('device gone'));
    const r = buildVirtioReport(1, list, failing, deviceAliases(LIVE));
    expect(r.devices[1]).toMatchObject({ state: 'unknown', error: 'device gone', statuses: [] });
  });

  test('not running proves nothing; the signature changes with a state', () => {
    expect(driverProof(notRunningReport(1))).toBeUndefined();
    const before = buildVirtioReport(1, list, statuses, deviceAliases(LIVE));
    const after = buildVirtioReport(2, list, new Map(statuses).set(list[1]!.path, status('status-scsi0-after.json')), deviceAliases(LIVE));
    expect(reportSignature(before)).not.toBe(reportSignature(after));
    expect(reportSignature(before)).toBe(reportSignature({ ...before, at: 99 }));
  });
});

describe('readable views of the panel queries', () => {
  test('block stats per disk with average latency; vCPU threads; balloon', async () => {
    const { qmpView } = await import('./index');
    const blocks = qmpView('query-blockstats', fixture('blockstats-1.json'))!;
    expect(blocks.tables[0]).toEqual({
      title: 'Disk virtio-disk0',
      rows: [['Reads', '3 ops, 0.0 MiB, avg 0.09 ms'], ['Writes', '95 ops, 5.9 MiB, avg 0.45 ms'], ['Flushes', '0 ops, avg — ms']],
    });
    expect(qmpView('query-cpus-fast', fixture('cpus.json'))!.tables[0]!.rows[0]).toEqual(['Host thread', '29852']);
    expect(qmpView('query-balloon', fixture('balloon.json'))!.tables[0]!.rows).toEqual([['Guest memory now', '128.0 MiB']]);
    expect(qmpView('query-block', '{"return": []}')).toBeNull();
    expect(qmpView('query-balloon', 'garbage')).toBeNull();
  });
});
