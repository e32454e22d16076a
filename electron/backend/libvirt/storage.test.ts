// The volume listing's paths, and the refusals that keep a defined VM's disk: nothing reaches
// the host when a delete or shrink is refused.
import { describe, expect, test } from 'vitest';
import type { HostStorage } from '../../../shared/contract/index.js';
import { deletePool, deleteVolume, resizeVolume } from './storage.js';
import { parseVolListPaths } from './storage-read.js';

describe('vol-list paths', () => {
  test('names with spaces and runs of spaces, found under the pool folder', () => {
    const out = [
      ' Name                   Path',
      '-----------------------------------------------------------',
      ' desk-1.qcow2           /var/lib/libvirt/images/desk-1.qcow2',
      " it's   \"odd\" $(x).img   /var/lib/libvirt/images/it's   \"odd\" $(x).img",
      ' ü €.raw                /var/lib/libvirt/images/ü €.raw',
      '',
    ].join('\n');
    expect(parseVolListPaths(out, '/var/lib/libvirt/images')).toEqual([
      '/var/lib/libvirt/images/desk-1.qcow2',
      "/var/lib/libvirt/images/it's   \"odd\" $(x).img",
      '/var/lib/libvirt/images/ü €.raw',
    ]);
  });

  test('a pool without a folder of its own (LVM): the path after the column gap', () => {
    expect(parseVolListPaths(' Name   Path\n---------\n lv0    /dev/vg0/lv0\n', null)).toEqual(['/dev/vg0/lv0']);
  });
});

function recorder() {
  const ran: string[][] = [];
  return { ran, run: async (args: readonly string[]) => (ran.push([...args]), '') };
}

const storage: HostStorage = {
  hostId: 'h',
  at: 0,
  pools: [
    { name: 'p', uuid: null, type: 'dir', active: true, autostart: false, persistent: true, capacity: 0, allocation: 0, available: 0, targetPath: '/p', source: '', usedBy: ['web'] },
  ],
  volumes: [
    { pool: 'p', name: 'a.qcow2', path: '/p/a.qcow2', type: 'file', format: 'qcow2', capacity: 1 << 30, allocation: 0, backingPath: null, iso: false, usedBy: ['web'], backingOf: [], orphan: false },
  ],
};

describe('refusals', () => {
  test('deleting a pool or volume a VM uses names the VM and runs nothing', async () => {
    const v = recorder();
    await expect(deletePool(v, storage, 'p', false, false)).rejects.toThrow(/used by "web"/);
    await expect(deleteVolume(v, storage, 'p', 'a.qcow2', false)).rejects.toThrow(/used by "web"/);
    expect(v.ran).toEqual([]);
  });

  test('confirmed, the pool is stopped, emptied, removed and undefined in that order', async () => {
    const v = recorder();
    await deletePool(v, storage, 'p', true, true);
    expect(v.ran).toEqual([
      ['vol-delete', '--pool', 'p', '--vol', '/p/a.qcow2'],
      ['pool-destroy', '--pool', 'p'],
      ['pool-delete', '--pool', 'p'],
      ['pool-undefine', '--pool', 'p'],
    ]);
  });

  test('shrinking only when allowed, with --shrink', async () => {
    const v = recorder();
    await expect(resizeVolume(v, storage, 'p', 'a.qcow2', 1 << 20, false)).rejects.toThrow(/Shrinking/);
    expect(v.ran).toEqual([]);
    await resizeVolume(v, storage, 'p', 'a.qcow2', 1 << 20, true);
    await resizeVolume(v, storage, 'p', 'a.qcow2', 2 * 2 ** 30, false);
    expect(v.ran).toEqual([
      ['vol-resize', '--pool', 'p', '--vol', 'a.qcow2', '--capacity', String(1 << 20), '--shrink'],
      ['vol-resize', '--pool', 'p', '--vol', 'a.qcow2', '--capacity', String(2 * 2 ** 30)],
    ]);
  });
});
