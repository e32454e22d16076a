import { describe, expect, test } from 'vitest';
import { advise } from '../../../shared/domain-xml/advisor.js';
import { applyEdits, readDomain } from '../../../shared/domain-xml/index.js';
import { hardwareFacts, parseCpuModels, parseHostModel, parseLsblkDiscard, parseVolList } from './hardware-facts.js';

const DOMAIN = `<domain type='kvm'>
  <name>big</name>
  <memory unit='KiB'>12582912</memory>
  <vcpu placement='static'>6</vcpu>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='/var/lib/libvirt/images/big.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
`;

// `virsh capabilities` of a two-socket host (trimmed to the parts read): two cells, 4 CPUs and 8 GiB each.
const CAPS = `<capabilities>
  <host>
    <uuid>5ad0c0de-0000-4000-8000-000000000099</uuid>
    <topology>
      <cells num='2'>
        <cell id='0'>
          <memory unit='KiB'>8388608</memory>
          <cpus num='4'>
            <cpu id='0' socket_id='0' die_id='0' core_id='0' siblings='0'/>
            <cpu id='1' socket_id='0' die_id='0' core_id='1' siblings='1'/>
            <cpu id='2' socket_id='0' die_id='0' core_id='2' siblings='2'/>
            <cpu id='3' socket_id='0' die_id='0' core_id='3' siblings='3'/>
          </cpus>
        </cell>
        <cell id='1'>
          <memory unit='KiB'>8388608</memory>
          <cpus num='4'>
            <cpu id='4' socket_id='1' die_id='0' core_id='0' siblings='4'/>
            <cpu id='5' socket_id='1' die_id='0' core_id='1' siblings='5'/>
            <cpu id='6' socket_id='1' die_id='0' core_id='2' siblings='6'/>
            <cpu id='7' socket_id='1' die_id='0' core_id='3' siblings='7'/>
          </cpus>
        </cell>
      </cells>
    </topology>
  </host>
  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'>
      <domain type='qemu'/>
      <domain type='kvm'/>
    </arch>
  </guest>
</capabilities>
`;

const DOMCAPS = `<domainCapabilities>
  <cpu>
    <mode name='host-passthrough' supported='yes'/>
    <mode name='host-model' supported='yes'>
      <model fallback='forbid'>Skylake-Client-IBRS</model>
      <vendor>Intel</vendor>
    </mode>
    <mode name='custom' supported='yes'>
      <model usable='yes' vendor='unknown'>qemu64</model>
      <model usable='no' vendor='AMD'>EPYC</model>
      <model usable='yes' vendor='Intel'>Skylake-Client</model>
    </mode>
  </cpu>
</domainCapabilities>`;

const VOLS = ` Name               Path
-----------------------------------------------------------
 big.img            /var/lib/libvirt/images/big.img
 virtio win 1.iso   /var/lib/libvirt/images/virtio win 1.iso

`;

describe('hardware facts', () => {
  test('parsers: CPU models with usable flag, host-model, volume rows with spaces', () => {
    expect(parseCpuModels(DOMCAPS)).toEqual([
      { name: 'qemu64', usable: true },
      { name: 'EPYC', usable: false },
      { name: 'Skylake-Client', usable: true },
    ]);
    expect(parseHostModel(DOMCAPS)).toBe('Skylake-Client-IBRS');
    // As virsh prints it over SSH: no leading blank line.
    expect(parseVolList('p', ' Name   Path\n-------------\n a.iso  /i/a.iso\n b.qcow2 /i/b.qcow2\n').map((v) => v.name)).toEqual(['a.iso', 'b.qcow2']);
    expect(parseVolList('default', VOLS)).toEqual([
      { pool: 'default', name: 'big.img', path: '/var/lib/libvirt/images/big.img' },
      { pool: 'default', name: 'virtio win 1.iso', path: '/var/lib/libvirt/images/virtio win 1.iso' },
    ]);
  });

  test('lsblk: discard accepted when DISC-MAX is above 0; block disks are asked about with their path as one argument', async () => {
    expect(parseLsblkDiscard('  4294966784    0\n')).toEqual({ discard: true, rotational: false });
    expect(parseLsblkDiscard('           0    1\n')).toEqual({ discard: false, rotational: true });
    expect(parseLsblkDiscard('lsblk: /dev/nope: not a block device\n')).toBeNull();
    const domain = DOMAIN.replace('<devices>', "<devices><disk type='block' device='disk'><source dev='/dev/disk/by-id/nvme-a b'/><target dev='vdz' bus='virtio'/></disk>");
    const asked: string[][] = [];
    const virsh = { run: async (args: readonly string[]) => (args[0] === 'dumpxml' ? domain : '') };
    const facts = await hardwareFacts(virsh, async (argv) => (asked.push([...argv]), '  2147450880    0\n'), 'big');
    // (The other command asked is the fixed iproute2 script that lists the NIC sources.)
    expect(asked.filter((a) => a[0] === 'lsblk')).toEqual([['lsblk', '--nodeps', '--noheadings', '--bytes', '--output', 'DISC-MAX,ROTA', '--', '/dev/disk/by-id/nvme-a b']]);
    expect(facts.blockDevices).toEqual({ '/dev/disk/by-id/nvme-a b': { discard: true, rotational: false } });
  });

  test('a multi-cell host: the facts feed the advisor, whose NUMA fix gives the guest two cells', async () => {
    const calls: string[][] = [];
    const virsh = {
      async run(args: readonly string[]) {
        calls.push([...args]);
        const answers: Record<string, string> = {
          dumpxml: DOMAIN, domcapabilities: DOMCAPS, capabilities: CAPS, 'pool-list': 'default\n', 'net-list': 'default\n', 'vol-list': VOLS,
        };
        return answers[args[0]!] ?? '';
      },
    };
    const facts = await hardwareFacts(virsh, async () => '', 'big');
    expect(calls).toContainEqual(['domcapabilities', '--virttype', 'kvm', '--arch', 'x86_64', '--machine', 'pc-q35-7.2']);
    expect(facts.numaCells).toEqual([{ id: 0, cpus: 4, memoryKiB: 8388608 }, { id: 1, cpus: 4, memoryKiB: 8388608 }]);
    expect(facts.kvm).toBe(true);
    expect(facts.networks).toEqual(['default']);
    const numa = advise(readDomain(DOMAIN), facts).find((f) => f.id === 'numa')!;
    expect(numa.reason).toMatch(/host has 2 NUMA cells/);
    const out = readDomain(applyEdits(DOMAIN, numa.edits));
    expect(out.cpu?.numaCells).toBe(2);
  });
});
