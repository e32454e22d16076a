// The questions asked before an action that cannot be undone.
import { Button, Checkbox, Group, List, Loader, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { VmDisk, VmSummary } from '../../../shared/contract';
import { api, runTask } from '../../api';

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
              <List.Item key={`${vm.hostId}/${vm.uuid}`}>
                {vm.name} on {host}
              </List.Item>
            ))}
            {pending.vms.length > 12 && <List.Item>… and {pending.vms.length - 12} more</List.Item>}
          </List>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              color="red"
              data-autofocus
              onClick={() => {
                pending.run();
                onClose();
              }}
            >
              {pending.label}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** Delete one VM: choose which disks' storage goes with it. CD-ROMs and empty drives are never offered. */
export function DeleteVmDialog({ target, onClose }: { target?: { vm: VmSummary; host: string }; onClose: () => void }) {
  const [disks, setDisks] = useState<VmDisk[]>();
  const [error, setError] = useState<string>();
  const [chosen, setChosen] = useState<Set<string>>(new Set());

  useEffect(() => {
    setDisks(undefined);
    setError(undefined);
    if (!target) return;
    let live = true;
    void api.call('vm.disks', { hostId: target.vm.hostId, name: target.vm.name }).then((o) => {
      if (!live) return;
      if (!o.ok) return setError(o.error.message);
      setDisks(o.value);
      setChosen(new Set(o.value.filter((d) => d.device === 'disk' && d.source).map((d) => d.target)));
    });
    return () => {
      live = false;
    };
  }, [target]);

  if (!target) return null;
  const { vm, host } = target;
  const deletable = (disks ?? []).filter((d) => d.device === 'disk' && d.source);
  return (
    <Modal opened onClose={onClose} title={`Delete ${vm.name}?`}>
      <Stack gap="sm">
        <Text size="sm">
          {vm.name} on {host} will be {vm.state === 'shutoff' ? '' : 'forced off and '}removed from libvirt, with its managed save, snapshot metadata and NVRAM.
        </Text>
        {error && (
          <Text c="red" size="sm" role="alert">
            {error}
          </Text>
        )}
        {!disks && !error && <Loader size="sm" aria-label="Loading disks" />}
        {disks && deletable.length === 0 && (
          <Text size="sm" c="dimmed">
            No disk with storage to delete.
          </Text>
        )}
        {deletable.length > 0 && (
          <Stack gap={4} role="group" aria-label="Storage to delete">
            <Text size="sm" fw={600}>
              Also delete the storage of
            </Text>
            {deletable.map((d) => (
              <Checkbox
                key={d.target}
                size="sm"
                label={`${d.target}: ${d.source}`}
                aria-label={`Delete storage of ${d.target}`}
                checked={chosen.has(d.target)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.currentTarget.checked) next.add(d.target);
                  else next.delete(d.target);
                  setChosen(next);
                }}
              />
            ))}
          </Stack>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            disabled={!disks}
            onClick={() => {
              void runTask(`Delete ${vm.name} on ${host}`, 'vm.delete', { hostId: vm.hostId, name: vm.name, storage: [...chosen] });
              onClose();
            }}
          >
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
