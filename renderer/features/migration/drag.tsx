// Drag a VM's fleet row onto a host in the connection tree: the Migrate dialog opens with that
// host as the destination (its pre-flight runs at once; nothing moves until Migrate is pressed).
import type { DragEvent } from 'react';
import type { VmSummary } from '../../../shared/contract';
import { useFleet } from '../../store/fleet';
import { useMigrateDialog } from './open-dialog';

const VM_DRAG_TYPE = 'application/x-virtdeck-vm';

/** What a VM's row spreads on itself to be dragged (VMs only; containers do not migrate). */
export function vmDragProps(vm: VmSummary) {
  if ((vm.driver ?? 'qemu') !== 'qemu') return {};
  return {
    draggable: true,
    onDragStart: (e: DragEvent) => {
      e.dataTransfer.setData(VM_DRAG_TYPE, JSON.stringify({ hostId: vm.hostId, name: vm.name }));
      e.dataTransfer.effectAllowed = 'move';
    },
  };
}

/** What a host's entry spreads on itself to take a dropped VM (the dialog opens towards it). */
export function vmDropProps(toHostId: string) {
  return {
    onDragOver: (e: DragEvent) => {
      if (e.dataTransfer.types.includes(VM_DRAG_TYPE)) e.preventDefault();
    },
    onDrop: (e: DragEvent) => {
      const raw = e.dataTransfer.getData(VM_DRAG_TYPE);
      if (!raw) return;
      e.preventDefault();
      const { hostId, name } = JSON.parse(raw) as { hostId: string; name: string };
      const vm = useFleet.getState().vmsByHost[hostId]?.find((v) => v.name === name && (v.driver ?? 'qemu') === 'qemu');
      if (!vm || hostId === toHostId) return;
      useMigrateDialog.getState().open({ vm, hostLabel: useFleet.getState().hosts[hostId]?.config.label ?? hostId, initialTo: toHostId });
    },
  };
}
