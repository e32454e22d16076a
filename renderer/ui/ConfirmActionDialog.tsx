// The question asked before a lifecycle action the guest cannot undo (force off, reset), listing
// the VMs it applies to.
import { List, Modal, Stack, Text } from '@mantine/core';
import type { VmSummary } from '../../shared/contract';
import { vmKey } from '../store/vm-ref';
import { ConfirmButtons } from './ConfirmButtons';

export interface PendingConfirm {
  label: string;
  message: string;
  vms: Array<{ vm: VmSummary; host: string }>;
  run(): void;
}

export function ConfirmActionDialog({ pending, onClose }: { pending?: PendingConfirm; onClose: () => void }) {
  return (
    <Modal opened={!!pending} onClose={onClose} title={pending ? `${pending.label}?` : ''} size="md">
      {pending && (
        <Stack gap="sm">
          <Text size="sm">{pending.message}</Text>
          <List size="sm" aria-label="VMs to act on">
            {pending.vms.slice(0, 12).map(({ vm, host }) => (
              <List.Item key={vmKey(vm)}>
                {vm.name} on {host}
              </List.Item>
            ))}
            {pending.vms.length > 12 && <List.Item>… and {pending.vms.length - 12} more</List.Item>}
          </List>
          <ConfirmButtons label={pending.label} onCancel={onClose} onConfirm={pending.run} autoFocus />
        </Stack>
      )}
    </Modal>
  );
}
