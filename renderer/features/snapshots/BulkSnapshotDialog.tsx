// Snapshot the fleet's selected VMs (on any number of hosts) with one name: each VM is its own
// task, all started at once (each host's SSH connection carries its own).
import { Checkbox, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { VmSummary } from '../../../shared/contract';
import { defaultSnapshotName, snapshotNameProblem } from '../../../shared/snapshots';
import { vmRef } from '../../store/vm-ref';
import { callAsTask } from './useSnapshots';
import { DialogButtons } from '../../ui/DialogButtons';

export function BulkSnapshotDialog({ targets, onClose }: { targets?: Array<{ vm: VmSummary; host: string }>; onClose: () => void }) {
  if (!targets?.length) return null;
  return <BulkForm targets={targets} onClose={onClose} />;
}

function BulkForm({ targets, onClose }: { targets: Array<{ vm: VmSummary; host: string }>; onClose: () => void }) {
  const [name, setName] = useState(() => defaultSnapshotName(new Date()));
  const [description, setDescription] = useState('');
  const [memory, setMemory] = useState(true);
  const problem = snapshotNameProblem(name);
  const running = targets.filter((t) => t.vm.state === 'running').length;
  const take = () => {
    for (const { vm } of targets) {
      void callAsTask(`Take snapshot ${name}`, vmRef(vm), 'snapshot.create', { ...vmRef(vm), snapshot: { name, description, memory: memory && vm.state === 'running' } });
    }
    onClose();
  };
  return (
    <Modal opened onClose={onClose} title={`Snapshot ${targets.length} VM${targets.length > 1 ? 's' : ''}`} size="md">
      <Stack gap="sm">
        <Text size="sm">
          {targets.map((t) => `${t.vm.name} on ${t.host}`).join(', ')}
        </Text>
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={name ? problem : undefined} data-autofocus />
        <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} />
        {running > 0 && <Checkbox label={`With memory for the ${running} running (revert returns to them running)`} checked={memory} onChange={(e) => setMemory(e.currentTarget.checked)} />}
        <Text size="xs" c="dimmed">
          Each VM gets an internal snapshot where its disks allow, else an external one; each is a task of its own.
        </Text>
        <DialogButtons label="Take snapshots" disabled={!!problem} onCancel={onClose} onConfirm={take} />
      </Stack>
    </Modal>
  );
}
