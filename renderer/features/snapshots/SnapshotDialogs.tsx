// Take, revert and delete dialogs of the Snapshots tab.
import { Alert, Checkbox, Group, List, Modal, Radio, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { RevertState, SnapshotInfo, TakeSnapshot, VmSnapshots } from '../../../shared/contract';
import { defaultSnapshotName, descendants, snapshotNameProblem } from '../../../shared/snapshots';
import { ConfirmButtons } from '../../ui/ConfirmButtons';
import { planFor, revertLoss } from './describe';
import { DialogButtons } from '../../ui/DialogButtons';

export function TakeSnapshotDialog({ data, vmName, onClose, onTake }: { data: VmSnapshots; vmName: string; onClose: () => void; onTake: (take: TakeSnapshot) => void }) {
  const [name, setName] = useState(() => defaultSnapshotName(new Date()));
  const [description, setDescription] = useState('');
  const [memory, setMemory] = useState(true);
  const [quiesce, setQuiesce] = useState(data.agent);
  const plan = planFor(data, memory);
  const problem = snapshotNameProblem(name, data.snapshots.map((s) => s.name));
  const diskOnly = !data.running || !memory;
  return (
    <Modal opened onClose={onClose} title={`Take a snapshot of ${vmName}`} size="lg">
      <Stack gap="sm">
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={name ? problem : undefined} data-autofocus />
        <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} />
        {data.running && (
          <Radio.Group label="What it holds" value={memory ? 'memory' : 'disks'} onChange={(v) => setMemory(v === 'memory')}>
            <Group mt={4}>
              <Radio value="memory" label="Disks and memory (revert returns to the running VM)" />
              <Radio value="disks" label="Disks only" />
            </Group>
          </Radio.Group>
        )}
        {data.running && diskOnly && (
          <Checkbox
            label={data.agent ? 'Quiesce the guest file systems (guest agent)' : 'Quiesce the guest file systems (needs a guest agent that answers: none does)'}
            checked={quiesce && data.agent}
            disabled={!data.agent}
            onChange={(e) => setQuiesce(e.currentTarget.checked)}
          />
        )}
        <Alert color={plan.refusal ? 'red' : plan.location === 'external' ? 'yellow' : 'blue'} title={plan.refusal ? 'Cannot be taken' : `${plan.location === 'internal' ? 'Internal' : 'External'} snapshot`}>
          {plan.refusal ?? (plan.location === 'internal' ? 'Stored inside the VM’s qcow2 images.' : 'Overlay files beside each disk take the writes from now on, because:')}
          {!plan.refusal && plan.reasons.length > 0 && (
            <List size="sm">
              {plan.reasons.map((r) => (
                <List.Item key={r}>{r}</List.Item>
              ))}
            </List>
          )}
          {!plan.refusal && plan.location === 'external' && data.externalRevertRefusal && <Text size="sm" mt={4}>{data.externalRevertRefusal}.</Text>}
        </Alert>
        <DialogButtons
          label="Take snapshot"
          disabled={!!problem || !!plan.refusal}
          onCancel={onClose}
          onConfirm={() => {
            onTake({ name, description, memory: data.running && memory, ...(diskOnly && quiesce && data.agent ? { quiesce: true } : {}) });
            onClose();
          }}
        />
      </Stack>
    </Modal>
  );
}

export function RevertDialog({ data, snapshot, onClose, onRevert }: { data: VmSnapshots; snapshot: SnapshotInfo; onClose: () => void; onRevert: (state: RevertState) => void }) {
  const [state, setState] = useState<RevertState>('snapshot');
  const held = snapshot.memory !== 'no' ? (snapshot.state === 'paused' ? 'paused' : 'running') : 'shut off';
  return (
    <Modal opened onClose={onClose} title={`Revert to ${snapshot.name}?`} size="lg">
      <Stack gap="sm">
        <Text size="sm">{revertLoss(snapshot, data.running)}</Text>
        {snapshot.location === 'external' && data.externalRevertRefusal && (
          <Alert color="yellow" title="This host cannot revert it">
            {data.externalRevertRefusal}.
          </Alert>
        )}
        <Radio.Group label="Afterwards the VM is" value={state} onChange={(v) => setState(v as RevertState)}>
          <Stack gap={4} mt={4}>
            <Radio value="snapshot" label={`as in the snapshot (${held})`} />
            <Radio value="running" label="running" />
            <Radio value="paused" label="paused" />
            <Radio value="stopped" label="shut off" />
          </Stack>
        </Radio.Group>
        <ConfirmButtons label="Revert" onCancel={onClose} onConfirm={() => onRevert(state)} />
      </Stack>
    </Modal>
  );
}

export function DeleteSnapshotDialog({ data, snapshot, onClose, onDelete }: { data: VmSnapshots; snapshot: SnapshotInfo; onClose: () => void; onDelete: (children: boolean) => void }) {
  const below = descendants(data.snapshots, snapshot.name);
  const [children, setChildren] = useState(false);
  return (
    <Modal opened onClose={onClose} title={`Delete snapshot ${snapshot.name}?`} size="md">
      <Stack gap="sm">
        <Text size="sm">
          The VM stays as it is now; only the way back to this snapshot goes.
          {snapshot.location === 'external' ? ' Its overlay files are merged into the images below them.' : ''}
        </Text>
        {below.length > 0 && (
          <Checkbox label={`Also delete its ${below.length} child snapshot${below.length > 1 ? 's' : ''} (${below.join(', ')})`} checked={children} onChange={(e) => setChildren(e.currentTarget.checked)} />
        )}
        <ConfirmButtons label="Delete" onCancel={onClose} onConfirm={() => onDelete(children)} />
      </Stack>
    </Modal>
  );
}
