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

  test('Windows follows the same gate while it runs, the OS name only picks the hint', () => {
    const [f] = diskFindings(domain(CONTROLLER, WINDOWS), proof('none', ['ACKNOWLEDGE']));
    expect(f!.reason).toContain('vioscsi');
    const [ok] = diskFindings(domain(CONTROLLER, WINDOWS), proof('ready', ['DRIVER_OK']));
    expect(ok).toMatchObject({ id: 'disk-bus:hda', edits: [{ kind: 'set-disk-bus', target: 'hda', bus: 'scsi' }] });
  });
});
