// Tuning gated by proof: a disk moves onto virtio-scsi only once the running guest has shown QEMU
// that it drives a virtio-scsi controller (DRIVER_OK); until then the safe path is offered — add
// the controller, load the driver — and the finding follows the controller's state. The OS name
// is only a hint (what to install), the guest's own status bits decide.

import type { DomainEdit } from '../edits';
import type { DiskView, DomainView } from '../types';
import type { Finding, GuestDriverProof, GuestDriverState } from './types';

const STATE_WORDS: Record<GuestDriverState, string> = {
  ready: 'guest driver ready',
  found: 'found but not started',
  none: 'no driver',
  failed: 'needs reset/failed',
  unknown: 'unknown',
};

/** The running VM's virtio-scsi controllers (every SCSI controller QEMU lists as virtio is one). */
export function virtioScsiControllers(proof: GuestDriverProof): { index: number; state: GuestDriverState; statuses: string[] }[] {
  return proof.devices.flatMap((d) => {
    const m = d.ref.tag === 'controller' ? /^scsi:(\d+)$/.exec(d.ref.id) : null;
    return m ? [{ index: Number(m[1]), state: d.state, statuses: d.statuses }] : [];
  });
}

const busName = (d: DiskView) => (d.bus ?? 'default').toUpperCase();
const driverHint = (windows: boolean) =>
  windows ? 'install vioscsi from the virtio-win ISO in the guest' : 'load the driver in the guest (Linux: modprobe virtio_scsi, or add it to the initramfs)';

export function gatedDiskFindings(view: DomainView, proof: GuestDriverProof, slowDisks: readonly DiskView[], windows: boolean): Finding[] {
  const controllers = virtioScsiControllers(proof);
  const ready = controllers.find((c) => c.state === 'ready');
  if (ready) {
    return slowDisks.map((d) => ({
      id: `disk-bus:${d.target}`,
      title: `Disk ${d.target} is on ${busName(d)}`,
      reason: `An emulated controller costs a VM exit per I/O; virtio-scsi is paravirtualized and supports discard. The guest drives virtio-scsi controller ${ready.index} (QEMU: DRIVER_OK), so the disk can move onto it.`,
      severity: 'info',
      edits: [{ kind: 'set-disk-bus', target: d.target!, bus: 'scsi' }],
      inApplyAll: true,
    }));
  }
  const targets = slowDisks.map((d) => d.target).join(', ');
  const buses = [...new Set(slowDisks.map(busName))].join('/');
  const waiting = controllers[0];
  if (waiting) {
    const bits = waiting.statuses.length ? waiting.statuses.join(', ') : 'no status bits';
    return [
      {
        id: 'disk-bus-gate',
        title: `Disk ${targets} on ${buses}: virtio-scsi controller ${waiting.index} has ${STATE_WORDS[waiting.state]} in the guest`,
        reason: `Not moved: QEMU says the guest has not started a driver for virtio-scsi controller ${waiting.index} (${bits}), so a disk moved there would vanish from the guest. To go on, ${driverHint(windows)}; this follows the controller's state live and offers the move once it shows DRIVER_OK.`,
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
        : `Not moved: no virtio-scsi controller is running, so nothing proves the guest has the driver, and a disk moved there might vanish from the guest. Safe path: add a virtio-scsi controller (plugged into the running VM), ${driverHint(windows)} if it shows no driver, and the move is offered once it shows DRIVER_OK.`,
      severity: 'warn',
      edits,
      inApplyAll: false,
      ...(edits.length ? { fixLabel: 'Add a virtio-scsi controller' } : {}),
    },
  ];
}
