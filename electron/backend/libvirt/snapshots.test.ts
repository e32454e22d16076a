import { describe, expect, it } from 'vitest';
import { backingChain, parseBackingPath } from './snapshots';

// vol-dumpxml of an overlay an external snapshot made (libvirt 9.0, lab), cut short.
const OVERLAY = `<volume type='file'>
  <name>snap-run.disk-1.qcow2</name>
  <target>
    <path>/var/lib/libvirt/images/snap-run.disk-1.qcow2</path>
    <format type='qcow2'/>
  </target>
  <backingStore>
    <path>/var/lib/libvirt/images/snap&apos;run.qcow2</path>
    <format type='qcow2'/>
  </backingStore>
</volume>`;
const BASE = `<volume type='file'><name>b</name><target><path>/var/lib/libvirt/images/snap'run.qcow2</path></target></volume>`;

describe('the images below a disk', () => {
  it('reads the backing path of a volume', () => {
    expect(parseBackingPath(OVERLAY)).toBe("/var/lib/libvirt/images/snap'run.qcow2");
    expect(parseBackingPath(BASE)).toBeNull();
  });

  it('follows the chain down to the base, refreshing the pools once for a file they have not seen', async () => {
    const ran: string[][] = [];
    let refreshed = false;
    const virsh = {
      async run(args: readonly string[]) {
        ran.push([...args]);
        if (args[0] === 'pool-list') return 'default   \n';
        if (args[0] === 'pool-refresh') {
          refreshed = true;
          return '';
        }
        if (args[2] === '/top.qcow2') {
          if (!refreshed) throw new Error('Storage volume not found');
          return OVERLAY;
        }
        if (args[2] === "/var/lib/libvirt/images/snap'run.qcow2") return BASE;
        throw new Error('unexpected');
      },
    };
    expect(await backingChain(virsh, '/top.qcow2')).toEqual(["/var/lib/libvirt/images/snap'run.qcow2"]);
    expect(ran).toContainEqual(['pool-refresh', '--pool', 'default']);
  });
});
