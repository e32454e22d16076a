// The advisor's gate: a disk moves onto virtio-scsi only once the running guest shows DRIVER_OK
// for a virtio-scsi controller; without proof (not running) the OS name is the hint, as before.
import { describe, expect, test } from 'vitest';
import { advise } from './advisor';
import type { GuestDriverProof, GuestDriverState } from './advisor/types';
import { readDomain } from './index';

const domain = (extra = '', os = '') => `<domain type='qemu'><name>g</name>${os}<memory>131072</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/g.img'/><target dev='hda' bus='ide'/></disk>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/g2.img'/><target dev='vda' bus='virtio'/></disk>
    ${extra}
    <interface type='bridge'><mac address='52:54:00:ab:00:01'/><source bridge='br0'/><model type='virtio'/></interface>
    <memballoon model='virtio'><stats period='5'/></memballoon>
  </devices></domain>`;
const WINDOWS = `<metadata><libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0"><libosinfo:os id="http://microsoft.com/win/10"/></libosinfo:libosinfo></metadata>`;
const CONTROLLER = `<controller type='scsi' index='0' model='virtio-scsi'/>`;

const proof = (scsi: GuestDriverState | null, statuses: string[] = []): GuestDriverProof => ({
  devices: [
    { ref: { tag: 'disk', id: 'vda' }, state: 'ready', statuses: ['ACKNOWLEDGE', 'DRIVER', 'FEATURES_OK', 'DRIVER_OK'] },
    ...(scsi ? [{ ref: { tag: 'controller', id: 'scsi:0' }, state: scsi, statuses }] : []),
  ],
});
const diskFindings = (xml: string, guestDrivers?: GuestDriverProof) => advise(readDomain(xml), { guestDrivers, volumes: [] }).filter((f) => f.id.startsWith('disk-bus'));

describe('disk moves gated by the guest driver', () => {
  test('not running: no proof, a Linux guest gets the move as before', () => {
    const [f] = diskFindings(domain());
    expect(f).toMatchObject({ id: 'disk-bus:hda', title: 'Disk hda is on IDE', inApplyAll: true, edits: [{ kind: 'set-disk-bus', target: 'hda', bus: 'scsi' }] });
  });

  test('running without a virtio-scsi controller: refused, the safe path adds one', () => {
    const [f, more] = diskFindings(domain(), proof(null));
    expect(more).toBeUndefined();
    expect(f).toMatchObject({ id: 'disk-bus-gate', severity: 'warn', inApplyAll: false, fixLabel: 'Add a virtio-scsi controller', edits: [{ kind: 'add-controller', type: 'scsi', model: 'virtio-scsi' }] });
    expect(f!.title).toBe('Disk hda on IDE: the guest has not shown it drives virtio-scsi');
  });

  test('a controller with no driver: refused with that reason, nothing to click', () => {
    const [f] = diskFindings(domain(CONTROLLER), proof('none', ['ACKNOWLEDGE']));
    expect(f).toMatchObject({ id: 'disk-bus-gate', edits: [], inApplyAll: false });
    expect(f!.title).toBe('Disk hda on IDE: virtio-scsi controller 0 has no driver in the guest');
    expect(f!.reason).toContain('(ACKNOWLEDGE)');
    expect(f!.reason).toContain('modprobe virtio_scsi');
  });

  test('the controller shows DRIVER_OK: the move is offered', () => {
    const [f] = diskFindings(domain(CONTROLLER), proof('ready', ['ACKNOWLEDGE', 'DRIVER', 'FEATURES_OK', 'DRIVER_OK']));
    expect(f).toMatchObject({ id: 'disk-bus:hda', inApplyAll: true, edits: [{ kind: 'set-disk-bus', target: 'hda', bus: 'scsi' }] });
    expect(f!.reason).toContain('controller 0 (QEMU: DRIVER_OK)');
  });

  test('a controller only in the next-boot config: restart first, no second controller', () => {
    const [f] = diskFindings(domain(CONTROLLER), proof(null));
    expect(f).toMatchObject({ id: 'disk-bus-gate', edits: [] });
    expect(f!.reason).toContain('Restart the VM');
  });

  test('a controller QEMU cannot tell about: the move is the admin\'s call, outside Apply all', () => {
    const [f] = diskFindings(domain(CONTROLLER), proof('unknown'));
    expect(f).toMatchObject({ id: 'disk-bus-gate', fixLabel: 'Move anyway', inApplyAll: false, edits: [{ kind: 'set-disk-bus', target: 'hda', bus: 'scsi' }] });
    expect(f!.title).toBe('Disk hda on IDE: whether the guest drives virtio-scsi controller 0 is unknown');
  });

  test('Windows follows the same gate while it runs, the OS name only picks the hint', () => {
    const [f] = diskFindings(domain(CONTROLLER, WINDOWS), proof('none', ['ACKNOWLEDGE']));
    expect(f!.reason).toContain('vioscsi');
    const [ok] = diskFindings(domain(CONTROLLER, WINDOWS), proof('ready', ['DRIVER_OK']));
    expect(ok).toMatchObject({ id: 'disk-bus:hda', edits: [{ kind: 'set-disk-bus', target: 'hda', bus: 'scsi' }] });
  });
});

const E1000 = `<interface type='bridge'><mac address='52:54:00:ab:00:01'/><source bridge='br0'/><model type='e1000'/></interface>`;
const nicDomain = (extraNic = '', balloon = "<memballoon model='virtio'><stats period='5'/></memballoon>", os = '') =>
  domain('', os).replace(/<interface[\s\S]*?<\/interface>/, E1000 + extraNic).replace(/<memballoon[\s\S]*?<\/memballoon>/, balloon);
const VIRTIO_NIC2 = `<interface type='bridge'><mac address='52:54:00:ab:00:02'/><source bridge='br0'/><model type='virtio'/></interface>`;
const nic2 = (state: GuestDriverState, statuses: string[] = []) => ({ ref: { tag: 'interface', id: '52:54:00:ab:00:02' }, state, statuses });
const nicFindings = (xml: string, guestDrivers?: GuestDriverProof) => advise(readDomain(xml), { guestDrivers }).filter((f) => f.id.startsWith('nic-model'));

describe('NIC switches gated by a second virtio NIC', () => {
  test('not running: a Linux guest gets the switch as before', () => {
    expect(nicFindings(nicDomain())).toMatchObject([{ id: 'nic-model:0', inApplyAll: true, edits: [{ kind: 'set-nic-model', index: 0, model: 'virtio' }] }]);
  });

  test('running with no virtio NIC: refused, the safe path adds one on the same bridge', () => {
    const [f, more] = nicFindings(nicDomain(), proof(null));
    expect(more).toBeUndefined();
    expect(f).toMatchObject({
      id: 'nic-model-gate', severity: 'warn', inApplyAll: false, fixLabel: 'Add a virtio NIC',
      title: 'NIC 1 (e1000): the guest has not shown it drives virtio-net',
      edits: [{ kind: 'add-nic', source: { type: 'bridge', bridge: 'br0' }, model: 'virtio' }],
    });
  });

  test('the second NIC with no driver: refused with that reason; DRIVER_OK: the switch is offered', () => {
    const waiting = { devices: [...proof(null).devices, nic2('none', ['ACKNOWLEDGE'])] };
    const [f] = nicFindings(nicDomain(VIRTIO_NIC2), waiting);
    expect(f).toMatchObject({ id: 'nic-model-gate', edits: [], title: 'NIC 1 (e1000): the virtio NIC 52:54:00:ab:00:02 has no driver in the guest' });
    expect(f!.reason).toContain('modprobe virtio_net');
    const ready = { devices: [...proof(null).devices, nic2('ready', ['ACKNOWLEDGE', 'DRIVER', 'FEATURES_OK', 'DRIVER_OK'])] };
    expect(nicFindings(nicDomain(VIRTIO_NIC2), ready)).toMatchObject([{ id: 'nic-model:0', inApplyAll: true, edits: [{ kind: 'set-nic-model', index: 0, model: 'virtio' }] }]);
  });

  test('a virtio NIC only in the next-boot config: restart first; unknown: the switch is the admin\'s call', () => {
    expect(nicFindings(nicDomain(VIRTIO_NIC2), proof(null))[0]).toMatchObject({ edits: [], reason: expect.stringContaining('Restart the VM') });
    const [u] = nicFindings(nicDomain(VIRTIO_NIC2), { devices: [nic2('unknown')] });
    expect(u).toMatchObject({ fixLabel: 'Switch anyway', inApplyAll: false, edits: [{ kind: 'set-nic-model', index: 0, model: 'virtio' }] });
  });

  test('Windows: same gate, NetKVM as the hint', () => {
    const [f] = nicFindings(nicDomain(VIRTIO_NIC2, undefined, WINDOWS), { devices: [nic2('found', ['ACKNOWLEDGE', 'DRIVER'])] });
    expect(f!.title).toContain('found but not started');
    expect(f!.reason).toContain('install NetKVM from the virtio-win ISO');
  });
});

describe('balloon statistics gated by the balloon driver', () => {
  const NO_STATS = "<memballoon model='virtio'/>";
  const balloon = (state: GuestDriverState, statuses: string[]): GuestDriverProof => ({ devices: [{ ref: { tag: 'memballoon', id: '0' }, state, statuses }] });
  const find = (xml: string, p?: GuestDriverProof) => advise(readDomain(xml), { guestDrivers: p }).filter((f) => f.id.startsWith('memballoon'));

  test('no driver: the period is not offered, and the reason says why', () => {
    const [f] = find(nicDomain('', NO_STATS), balloon('none', ['ACKNOWLEDGE']));
    expect(f).toMatchObject({ id: 'memballoon-stats', edits: [], inApplyAll: false });
    expect(f!.reason).toContain('(ACKNOWLEDGE)');
    expect(f!.reason).toContain('modprobe virtio_balloon');
  });

  test('DRIVER_OK, or not running: offered; unknown: offered outside Apply all', () => {
    expect(find(nicDomain('', NO_STATS), balloon('ready', ['DRIVER_OK']))).toMatchObject([{ id: 'memballoon-stats', inApplyAll: true, edits: [{ kind: 'set-memballoon-stats-period', periodS: 5 }] }]);
    expect(find(nicDomain('', NO_STATS))).toMatchObject([{ id: 'memballoon-stats', inApplyAll: true }]);
    expect(find(nicDomain('', NO_STATS), balloon('unknown', []))).toMatchObject([{ id: 'memballoon-stats', inApplyAll: false, edits: [{ kind: 'set-memballoon-stats-period', periodS: 5 }] }]);
  });

  test('a period set with no driver behind it is said; with one, nothing', () => {
    expect(find(nicDomain(), balloon('none', ['ACKNOWLEDGE']))).toMatchObject([{ id: 'memballoon-driver', edits: [] }]);
    expect(find(nicDomain(), balloon('ready', ['DRIVER_OK']))).toEqual([]);
  });
});
