// The lifecycle actions of a VM (start, shut down, force off…): which a state allows, which ask
// first, and how they run — one task each, named "<action> <VM> on <host>". The fleet toolbar
// offers them for the selection, the VM overview for its one VM.
import type { ButtonProps } from '@mantine/core';
import type { VmAction, VmSummary } from '../../shared/contract';
import { runTask } from '../app/api';
import { isContainer, vmRef } from '../store/vm-ref';
import type { PendingConfirm } from './ConfirmActionDialog';
import { ACTION_KEYS } from './shortcuts';

export interface ActionSpec {
  action: VmAction;
  label: string;
  allowed: (vm: VmSummary) => boolean;
  /** Asks first: the guest loses what it has not written. */
  confirm?: string;
  /** Its shortcut's letter, with Ctrl+Shift (⇧⌘ on a Mac): see ui/shortcuts.ts. */
  key?: string;
}

const running = (vm: VmSummary) => vm.state === 'running' || vm.state === 'blocked';
/** What only a QEMU VM has: a reset button, a guest agent, a saveable memory image. */
const vmOnly = (allowed: (vm: VmSummary) => boolean) => (vm: VmSummary) => !isContainer(vm) && allowed(vm);

export const PRIMARY_ACTIONS: ActionSpec[] = [
  // A template is deployed from, never started (the backend refuses it too).
  { action: 'start', label: 'Start', key: ACTION_KEYS.start, allowed: (vm) => !vm.template && (vm.state === 'shutoff' || vm.state === 'crashed') },
  { action: 'shutdown', label: 'Shut down', key: ACTION_KEYS.shutdown, allowed: running },
  { action: 'reboot', label: 'Reboot', key: ACTION_KEYS.reboot, allowed: running },
  { action: 'suspend', label: 'Pause', key: ACTION_KEYS.suspend, allowed: running },
  { action: 'resume', label: 'Resume', key: ACTION_KEYS.resume, allowed: (vm) => vm.state === 'paused' },
  {
    action: 'destroy',
    label: 'Force off',
    key: ACTION_KEYS.destroy,
    allowed: (vm) => vm.state !== 'shutoff',
    confirm: 'Force off cuts the power: the guest loses whatever it has not written to disk.',
  },
];

export const MORE_ACTIONS: ActionSpec[] = [
  { action: 'reset', label: 'Reset', allowed: vmOnly((vm) => running(vm) || vm.state === 'paused'), confirm: 'Reset restarts the guest at once, as the reset button: unsaved data is lost.' },
  { action: 'shutdown-agent', label: 'Shut down (guest agent)', allowed: vmOnly(running) },
  { action: 'managedsave', label: 'Save state and stop', allowed: vmOnly((vm) => running(vm) || vm.state === 'paused') },
  { action: 'autostart-on', label: 'Autostart on', allowed: (vm) => !vm.autostart && !vm.template },
  { action: 'autostart-off', label: 'Autostart off', allowed: (vm) => vm.autostart === true },
];

/** The look of an action's button: Start stands out, Force off warns. */
export const actionButtonProps = (spec: ActionSpec): Pick<ButtonProps, 'variant' | 'color'> => ({
  variant: spec.action === 'destroy' ? 'light' : spec.action === 'start' ? 'filled' : 'default',
  color: spec.action === 'destroy' ? 'red' : undefined,
});

/** Run the action on each target as its own task; an action that asks first hands its question to
 *  `ask` (shown by ConfirmActionDialog) and runs once it is confirmed. */
export function startVmAction(spec: ActionSpec, targets: Array<{ vm: VmSummary; host: string }>, ask: (pending: PendingConfirm) => void): void {
  const run = () => {
    for (const { vm, host } of targets) void runTask(`${spec.label} ${vm.name} on ${host}`, 'vm.action', { ...vmRef(vm), action: spec.action });
  };
  if (spec.confirm) ask({ label: `${spec.label} ${targets.length === 1 ? targets[0]!.vm.name : `${targets.length} VMs`}`, message: spec.confirm, vms: targets, run });
  else run();
}
