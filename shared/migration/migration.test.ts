import { describe, expect, it } from 'vitest';
import { destinationUri, jobProgress, knownHostsEntry, liveMigrateArgs, migrationAddress, preflight, type DestFacts, type SourceFacts } from './index';

const source = (over: Partial<SourceFacts> = {}): SourceFacts => ({
  host: 'hv2',
  vm: 'mig-1',
  uuid: '11111111-2222-4333-8444-555555555555',
  state: 'running',
  memoryKiB: 128 * 1024,
  domainType: 'qemu',
  arch: 'x86_64',
  machine: 'pc-i440fx-7.2',
  cpuXml: null,
  cpuMode: null,
  loader: null,
  networks: [],
  bridges: ['br-lan'],
  disks: [{ target: 'vda', device: 'disk', path: '/var/lib/libvirt/images/mig-1.qcow2', type: 'file', readonly: false, shareable: false, capacity: 16 << 20, format: 'qcow2' }],
  hostdevs: 0,
  pools: [{ name: 'default', type: 'dir', path: '/var/lib/libvirt/images', active: true, source: null }],
  addresses: [
    { ifname: 'eth0', cidr: '192.0.2.12/32' },
    { ifname: 'mig0', cidr: '198.51.100.12/24' },
  ],
  ...over,
});
const dest = (over: Partial<DestFacts> = {}): DestFacts => ({
  host: 'hv3',
  cpu: { result: 'not-checked' },
  machine: { ok: true, firmware: [] },
  memAvailableKiB: 4 << 20,
  networks: [{ name: 'default', active: false }],
  bridges: ['br-lan'],
  pools: [{ name: 'default', type: 'dir', path: '/var/lib/libvirt/images/', active: true, source: null }],
  nameTaken: false,
  uuidTakenBy: null,
  existingPaths: [],
  addresses: [
    { ifname: 'eth0', cidr: '192.0.2.13/32' },
    { ifname: 'mig0', cidr: '198.51.100.13/24' },
  ],
  ...over,
});
const blocks = (p: ReturnType<typeof preflight>) => p.findings.filter((f) => f.level === 'block').map((f) => f.id);

describe('migration route', () => {
  it('picks the destination address on a subnet both hosts share, never a /32 or loopback', () => {
    expect(migrationAddress(source().addresses, dest().addresses)).toBe('198.51.100.13');
    expect(migrationAddress([{ ifname: 'eth0', cidr: '192.0.2.12/32' }], [{ ifname: 'eth0', cidr: '192.0.2.13/32' }])).toBeNull();
    expect(migrationAddress([{ ifname: 'lo', cidr: '127.0.0.1/8' }], [{ ifname: 'lo', cidr: '127.0.0.2/8' }])).toBeNull();
    expect(migrationAddress([{ ifname: 'a', cidr: '10.0.0.1/24' }], [{ ifname: 'b', cidr: '10.0.1.1/24' }])).toBeNull();
  });
});

describe('preflight', () => {
  it('lets a running VM with a copied disk migrate live to a host on the migration network', () => {
    const plan = preflight({ mode: 'live', source: source(), dest: dest(), credential: 'key' });
    expect(blocks(plan)).toEqual([]);
    expect(plan.copyStorage).toBe(true);
    expect(plan.migrationAddress).toBe('198.51.100.13');
    expect(plan.disks).toEqual([expect.objectContaining({ target: 'vda', storage: 'copy', destPool: 'default' })]);
  });

  it('blocks on a missing bridge, naming it, and a cold move blocks on it too', () => {
    const d = dest({ bridges: [] });
    const live = preflight({ mode: 'live', source: source({ bridges: ['br-lan', 'br-$(x)'] }), dest: d, credential: 'key' });
    expect(blocks(live)).toEqual(['bridge:br-lan', 'bridge:br-$(x)']);
    expect(live.findings[0]!.text).toBe('Bridge br-lan does not exist on hv3');
    expect(live.coldAdvised).toBe(false);
    expect(blocks(preflight({ mode: 'cold', source: source({ state: 'shut off' }), dest: d, credential: 'none' }))).toEqual(['bridge:br-lan']);
  });

  it('sends a pair without a common network to the cold move', () => {
    const d = dest({ host: 'hv5', addresses: [{ ifname: 'eth0', cidr: '192.0.2.15/32' }] });
    const live = preflight({ mode: 'live', source: source(), dest: d, credential: 'key' });
    expect(blocks(live)).toEqual(['route']);
    expect(live.coldAdvised).toBe(true);
    const cold = preflight({ mode: 'cold', source: source({ state: 'shut off' }), dest: d, credential: 'none' });
    expect(blocks(cold)).toEqual([]);
    expect(cold.findings.some((f) => f.id === 'memory')).toBe(false); // a shut-off VM needs none now
  });

  it('blocks what a live move cannot do, and what no move can', () => {
    const p = preflight({
      mode: 'live',
      source: source({ state: 'shut off', hostdevs: 1, networks: ['lan', 'gone'], loader: '/usr/share/OVMF/OVMF_CODE.fd' }),
      dest: dest({ nameTaken: true, networks: [{ name: 'lan', active: false }], cpu: { result: 'incompatible', message: 'host CPU lacks avx512f' }, existingPaths: ['/var/lib/libvirt/images/mig-1.qcow2'] }),
      credential: 'none',
    });
    expect(blocks(p).sort()).toEqual(['cpu', 'credential', 'disk:vda', 'firmware', 'hostdev', 'name', 'network:gone', 'state']);
    expect(p.findings.find((f) => f.id === 'network:lan')!.level).toBe('warn'); // shut off: start it later
    expect(p.findings.find((f) => f.id === 'disk:vda')!.text).toContain('already exists on hv3');
    const unsure = preflight({ mode: 'live', source: source(), dest: dest({ cpu: { result: 'not-checked', message: 'hypervisor-cpu-compare failed: x' } }), credential: 'key' });
    expect(unsure.findings.find((f) => f.id === 'cpu')!.level).toBe('warn');
  });

  it('says a UUID clash, too little memory, a pool-less folder and a stopped pool', () => {
    const p = preflight({
      mode: 'cold',
      source: source({ disks: [...source().disks, { target: 'vdb', device: 'disk', path: '/srv/vm/data.raw', type: 'file', readonly: false, shareable: false, capacity: 1, format: 'raw' }] }),
      dest: dest({ uuidTakenBy: 'other', memAvailableKiB: 64 * 1024, pools: [{ name: 'default', type: 'dir', path: '/var/lib/libvirt/images', active: false, source: null }] }),
      credential: 'none',
    });
    expect(blocks(p).sort()).toEqual(['disk:vda', 'disk:vdb', 'memory', 'state', 'uuid']);
    expect(p.findings.find((f) => f.id === 'disk:vdb')!.text).toBe('hv3 has no storage pool for /srv/vm: the copy of data.raw needs one there (same folder)');
    expect(p.findings.find((f) => f.id === 'memory')!.text).toBe('hv3 has 64 MiB free, the VM needs 128 MiB');
  });

  it('treats the same network pool on both hosts as shared storage, and read-only media as present or not', () => {
    const nfs = { name: 'nfs', type: 'netfs', path: '/mnt/vms', active: true, source: 'filer:/export' };
    const p = preflight({
      mode: 'live',
      source: source({
        pools: [nfs],
        disks: [
          { target: 'vda', device: 'disk', path: '/mnt/vms/a.qcow2', type: 'file', readonly: false, shareable: false, capacity: 1, format: 'qcow2' },
          { target: 'sda', device: 'cdrom', path: '/iso/x.iso', type: 'file', readonly: true, shareable: false, capacity: null, format: 'raw' },
          { target: 'sdb', device: 'cdrom', path: null, type: 'file', readonly: true, shareable: false, capacity: null, format: null },
        ],
      }),
      dest: dest({ pools: [nfs], existingPaths: ['/mnt/vms/a.qcow2'] }),
      credential: 'agent',
    });
    expect(p.disks).toEqual([expect.objectContaining({ target: 'vda', storage: 'shared' })]);
    expect(p.copyStorage).toBe(false);
    expect(blocks(p)).toEqual(['disk:sda']);
  });
});

describe('destination URI and arguments', () => {
  it('builds a libssh URI that verifies the host key from a file and logs in by agent', () => {
    expect(destinationUri({ user: 'virtdeck', address: '198.51.100.13', port: 22, knownHostsPath: '/tmp/vd-mig.AbC123/known_hosts' })).toBe(
      'qemu+libssh://virtdeck@198.51.100.13/system?known_hosts=/tmp/vd-mig.AbC123/known_hosts&known_hosts_verify=normal&sshauth=agent',
    );
    expect(destinationUri({ user: 'a', address: '10.0.0.1', port: 2222, knownHostsPath: '/tmp/k' })).toContain('@10.0.0.1:2222/system?');
    expect(() => destinationUri({ user: 'a b', address: '10.0.0.1', port: 22, knownHostsPath: '/tmp/k' })).toThrow();
    expect(() => destinationUri({ user: 'a', address: 'evil.example&no_verify=1', port: 22, knownHostsPath: '/tmp/k' })).toThrow();
    expect(() => destinationUri({ user: 'a', address: '10.0.0.1', port: 22, knownHostsPath: '/tmp/k&no_verify=1' })).toThrow();
  });

  it('writes the known_hosts line under the address dialled', () => {
    expect(knownHostsEntry('198.51.100.13', 22, 'ssh-ed25519', 'AAAAC3Nz')).toBe('198.51.100.13 ssh-ed25519 AAAAC3Nz\n');
    expect(knownHostsEntry('198.51.100.13', 2222, 'ssh-ed25519', 'AAAA')).toBe('[198.51.100.13]:2222 ssh-ed25519 AAAA\n');
    expect(() => knownHostsEntry('198.51.100.13', 22, 'ssh-ed25519', 'AA AA\nx')).toThrow();
  });

  it('names the VM as an option value, so a name starting with a dash stays a name', () => {
    const args = liveMigrateArgs('--evil name', 'qemu+libssh://u@1.2.3.4/system', '1.2.3.4', { copyStorage: true, autoConverge: false, compressed: true });
    expect(liveMigrateArgs('a', 'u', '1.2.3.4', { copyStorage: false, autoConverge: true, compressed: false, bandwidthMiBs: 2 })).toContain('2');
    expect(() => liveMigrateArgs('a', 'u', '1.2.3.4', { copyStorage: false, autoConverge: false, compressed: false, bandwidthMiBs: 0.5 })).toThrow();
    expect(args).toEqual(['migrate', '--live', '--persistent', '--undefinesource', '--copy-storage-all', '--compressed', '--domain', '--evil name', '--desturi', 'qemu+libssh://u@1.2.3.4/system', '--migrateuri', 'tcp://1.2.3.4']);
  });
});

describe('job progress', () => {
  it('reads domjobinfo --rawstats', () => {
    const text = ['Job type:         Unbounded', 'type=2', 'time_elapsed=1500', 'data_total=167772160', 'data_processed=41943040', 'data_remaining=125829120', 'memory_remaining=100000000', 'disk_remaining=25829120', 'memory_bps=20000000', 'disk_bps=5000000', 'downtime=300'].join('\n');
    const { type, progress } = jobProgress(text);
    expect(type).toBe('unbounded');
    expect(progress).toEqual({ percent: 25, dataProcessed: 41943040, dataRemaining: 125829120, dataTotal: 167772160, memoryRemaining: 100000000, diskRemaining: 25829120, rateBps: 25000000, downtimeMs: 300, elapsedMs: 1500 });
    expect(jobProgress('type=0\n')).toEqual({ type: 'none', progress: null });
    // virsh 9.0's own layout: the job type on its line, then `field: value`.
    const colons = ['Job type: 2', '', 'operation: 3', 'time_elapsed: 1500', 'data_total: 167772160', 'data_processed: 41943040', 'data_remaining: 125829120', 'memory_remaining: 100000000', 'disk_remaining: 25829120', 'memory_bps: 20000000', 'disk_bps: 5000000', 'downtime: 300'].join('\n');
    expect(jobProgress(colons)).toEqual({ type, progress });
    expect(jobProgress('Job type: 0\n\n')).toEqual({ type: 'none', progress: null });
  });
});

describe('domain XML pieces for the destination', () => {
  it('takes the <cpu> element, the loader and domcapabilities firmware', async () => {
    const { cpuElement, loaderPath, firmwareValues, cpuVerdict } = await import('./index');
    const xml = `<domain><vcpu>1</vcpu><cputune><shares>1</shares></cputune><os><loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader></os><cpu mode='custom' match='exact'><model fallback='forbid'>qemu64</model><feature policy='require' name='x2apic'/></cpu></domain>`;
    expect(cpuElement(xml)).toBe(`<cpu mode='custom' match='exact'><model fallback='forbid'>qemu64</model><feature policy='require' name='x2apic'/></cpu>`);
    expect(cpuElement(`<domain><cpu mode='host-passthrough'/></domain>`)).toBe(`<cpu mode='host-passthrough'/>`);
    expect(cpuElement('<domain><vcpu>1</vcpu></domain>')).toBeNull();
    expect(loaderPath(xml)).toBe('/usr/share/OVMF/OVMF_CODE_4M.fd');
    expect(loaderPath('<domain><os><type>hvm</type></os></domain>')).toBeNull();
    expect(firmwareValues(`<domainCapabilities><os supported='yes'><loader supported='yes'><value>/a.fd</value><value>/b &amp; c.fd</value><enum name='type'/></loader></os></domainCapabilities>`)).toEqual(['/a.fd', '/b & c.fd']);
    expect(cpuVerdict('CPU described in /dev/stdin is identical to the CPU provided by hypervisor on the host')).toBe('identical');
    expect(cpuVerdict('nothing')).toBeNull();
  });
});
