// An install ISO uploaded from this machine into one of the host's pools, inside the wizard: the
// storage view's upload (transfers/: the bytes streamed over the host's one SSH connection, a
// task in the task pane) followed here with its bar, speed and Cancel. When it is done the new
// volume is the install media; a refusal (a full pool) or a failure is said here in words.
import { Alert, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useFleet } from '../../store/fleet';
import { useTasks } from '../../store/tasks';
import { TaskProgressRow } from '../../ui/TaskProgressRow';
import { LocalFilePicker, type LocalFile } from '../transfers/LocalFilePicker';
import { uploadPicked } from '../transfers/transfer-tasks';
import type { WizardState } from './use-new-vm';

export function IsoUpload({ w, hostId }: { w: WizardState; hostId: string }) {
  const hostLabel = useFleet((s) => s.hosts[hostId]?.config.label ?? hostId);
  const pools = w.storage?.pools.filter((p) => p.active) ?? [];
  const [pool, setPool] = useState<string | null>(pools.find((p) => p.name === 'default')?.name ?? pools[0]?.name ?? null);
  const [file, setFile] = useState<LocalFile | null>(null);
  const [name, setName] = useState('');
  const [taskId, setTaskId] = useState<number>();
  const [sent, setSent] = useState<{ pool: string; name: string }>();
  const task = useTasks((s) => (taskId === undefined ? undefined : s.tasks.find((t) => t.id === taskId)));
  const arrived = sent && w.isoVolumes.find((v) => v.pool === sent.pool && v.name === sent.name);

  // Once the host lists the new volume (the upload's end refreshes its storage), install from it.
  useEffect(() => {
    if (task?.status === 'done' && arrived?.path) w.set({ media: { kind: 'iso', path: arrived.path } });
    // Only when it arrives: the admin may pick another ISO afterwards.
  }, [task?.status, arrived?.path]);

  const upload = () => {
    if (!file || !pool || !name.trim()) return;
    const dest = { hostId, pool, name: name.trim() };
    setSent({ pool, name: dest.name });
    void uploadPicked(file, dest, `${hostLabel}:${pool}`, setTaskId);
  };
  const running = task?.status === 'running';
  const title = task?.title ?? '';
  return (
    <Stack gap={6} role="group" aria-label="Upload an ISO from this computer">
      <Text size="sm" fw={500}>
        Or upload an ISO from this computer
      </Text>
      <LocalFilePicker
        label="ISO file"
        accept=".iso,application/x-iso9660-image"
        onPick={(f) => {
          setFile(f);
          if (f) setName(f.name);
        }}
      />
      <Group align="flex-end" grow>
        <Select label="Into pool" aria-label="Upload into pool" data={pools.map((p) => p.name)} value={pool} onChange={setPool} allowDeselect={false} />
        <TextInput label="Volume name" aria-label="ISO volume name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Button style={{ flexGrow: 0 }} disabled={!file || !pool || !name.trim() || running} onClick={upload}>
          Upload
        </Button>
      </Group>
      {running && (task.progress ? <TaskProgressRow title={title} progress={task.progress} cancel={task.cancel} /> : <Text size="xs">Starting {title}…</Text>)}
      {task?.status === 'done' && (
        <Text size="sm" c="green.8" role="status">
          Uploaded {sent?.name}: {arrived ? 'it is the install media now' : 'waiting for the host to list it'}. {task.detail}
        </Text>
      )}
      {task?.status === 'cancelled' && (
        <Text size="sm" role="status">
          Upload cancelled; nothing was left in the pool.
        </Text>
      )}
      {task?.status === 'failed' && (
        <Alert color="red" role="alert" title="Upload failed">
          {task.message}
        </Alert>
      )}
    </Stack>
  );
}
