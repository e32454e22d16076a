// Tuning gated by proof, for disks: a disk moves onto virtio-scsi only once the running guest has
// shown QEMU that it drives a virtio-scsi controller (DRIVER_OK); until then the safe path is
// offered — add the controller, load the driver — and the finding follows the controller's state.
// The OS name is only a hint (what to install), the guest's own status bits decide.

import { VIRTIO_SCSI_DRIVER } from '../devices/controller';
import { guestDriverHint } from '../devices/guest-driver';
import type { DomainEdit } from '../edits';
import type { DiskView, DomainView } from '../types';
import { STATE_WORDS, bitsOf, gate } from './gate';
import type { DeviceRef, Finding, GuestDriverProof } from './types';

const controllerIndex = (ref: DeviceRef): number | null => {
  const m = ref.tag === 'controller' ? /^scsi:(\d+)$/.exec(ref.id) : null;
  return m ? Number(m[1]) : null;
};

const busName = (d: DiskView) => (d.bus ?? 'default').toUpperCase();
const moves = (disks: readonly DiskView[]): DomainEdit[] => disks.map((d) => ({ kind: 'set-disk-bus', target: d.target!, bus: 'scsi' }));

export function gatedDiskFindings(view: DomainView, proof: GuestDriverProof, slowDisks: readonly DiskView[], windows: boolean): Finding[] {
  const g = gate(proof, (ref) => controllerIndex(ref) !== null);
  if (g.kind === 'ready') {
    return slowDisks.map((d) => ({
      id: `disk-bus:${d.target}`,
      title: `Disk ${d.target} is on ${busName(d)}`,
      reason: `An emulated controller costs a VM exit per I/O; virtio-scsi is paravirtualized and supports discard. The guest drives virtio-scsi controller ${controllerIndex(g.device.ref)} (QEMU: DRIVER_OK), so the disk can move onto it.`,
      severity: 'info',
      edits: moves([d]),
      inApplyAll: true,
    }));
  }
  const targets = slowDisks.map((d) => d.target).join(', ');
  const buses = [...new Set(slowDisks.map(busName))].join('/');
  const hint = guestDriverHint(VIRTIO_SCSI_DRIVER, windows);
  if (g.kind === 'unknown') {
    const index = controllerIndex(g.device.ref);
    return [
      {
        id: 'disk-bus-gate',
        title: `Disk ${targets} on ${buses}: whether the guest drives virtio-scsi controller ${index} is unknown`,
        reason: `QEMU cannot say whether the guest started a driver for virtio-scsi controller ${index}, so nothing proves a disk moved there stays visible to the guest. Make sure first (${hint}); moving anyway is your call.`,
        severity: 'warn',
        edits: moves(slowDisks),
        inApplyAll: false,
        fixLabel: 'Move anyway',
      },
    ];
  }
  if (g.kind === 'waiting') {
    const index = controllerIndex(g.device.ref);
    return [
      {
        id: 'disk-bus-gate',
        title: `Disk ${targets} on ${buses}: virtio-scsi controller ${index} has ${STATE_WORDS[g.device.state]} in the guest`,
        reason: `Not moved: QEMU says the guest has not started a driver for virtio-scsi controller ${index} (${bitsOf(g.device)}), so a disk moved there would vanish from the guest. To go on, ${hint}; this follows the controller's state live and offers the move once it shows DRIVER_OK.`,
        severity: 'warn',
        edits: [],
        inApplyAll: false,
      },
    ];
  }
  const pendingController = view.controllers.some((c) => c.type === 'scsi' && /^virtio/.test(c.model ?? ''));
  const edits: DomainEdit[] = pendingController ? [] : [{ kind: 'add-controller', type: 'scsi', model: 'virtio-scsi' }];
  return [
    {
      id: 'disk-bus-gate',
      title: `Disk ${targets} on ${buses}: the guest has not shown it drives virtio-scsi`,
      reason: pendingController
        ? 'Not moved: the virtio-scsi controller of the next boot is not in the running VM yet. Restart the VM; once the guest shows DRIVER_OK for it, the move is offered.'
        : `Not moved: no virtio-scsi controller is running, so nothing proves the guest has the driver, and a disk moved there might vanish from the guest. Safe path: add a virtio-scsi controller (plugged into the running VM), ${hint} if it shows no driver, and the move is offered once it shows DRIVER_OK.`,
      severity: 'warn',
      edits,
      inApplyAll: false,
      ...(edits.length ? { fixLabel: 'Add a virtio-scsi controller' } : {}),
    },
  ];
}
