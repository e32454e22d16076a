// The VM page's Snapshots tab: the tree (current one marked) with what each snapshot holds, and
// take / revert / delete / merge back. Live: the backend pushes the list when it changes.
import { Alert, Badge, Button, Group, Loader, Progress, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { SnapshotInfo } from '../../../shared/contract';
import { flattenTree, snapshotTree } from '../../../shared/snapshots';
import type { VmRef } from '../../store/vm-ref';
import { diskList, formatTime, heldState } from './describe';
import { DeleteSnapshotDialog, RevertDialog, TakeSnapshotDialog } from './SnapshotDialogs';
import { useSnapshots } from './useSnapshots';

type Open = { kind: 'take' } | { kind: 'revert' | 'delete'; snapshot: SnapshotInfo } | null;

export function SnapshotsTab({ vm }: { vm: VmRef }) {
  const s = useSnapshots(vm);
  const [open, setOpen] = useState<Open>(null);
  const data = s.data;
  if (s.loadError) return <Alert color="red" title="Could not read the snapshots">{s.loadError}</Alert>;
  if (!data) return <Loader size="sm" aria-label="Loading snapshots" />;
  const rows = flattenTree(snapshotTree(data.snapshots));
  const mergeable = (x: SnapshotInfo) => data.running && x.current && x.memory === 'no' && x.location === 'external' && !data.snapshots.some((c) => c.parent === x.name);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          libvirt {data.libvirtVersion ?? '?'}
          {data.externalRevertRefusal ? ` — external snapshots can be taken, deleted and merged back here, not reverted (libvirt 9.9 needed)` : ''}
        </Text>
        <Button size="compact-sm" disabled={s.busy} onClick={() => setOpen({ kind: 'take' })}>
          Take snapshot…
        </Button>
      </Group>
      {s.error && (
        <Alert color="red" title="The snapshot change failed" withCloseButton onClose={s.dismiss} role="alert">
          {s.error}
        </Alert>
      )}
      {Object.keys(s.progress).length > 0 && (
        <Stack gap={2} aria-label="Merge back progress">
          {Object.entries(s.progress).map(([disk, pct]) => (
            <Group key={disk} gap="xs" wrap="nowrap">
              <Text size="xs" w={60}>
                {disk}
              </Text>
              <Progress value={pct} flex={1} aria-label={`Merging ${disk}: ${pct} %`} />
            </Group>
          ))}
        </Stack>
      )}
      {rows.length === 0 ? (
        <Text c="dimmed">No snapshots yet.</Text>
      ) : (
        <Table fz="sm" verticalSpacing={4} aria-label={`Snapshots of ${vm.name}`}>
          <Table.Thead>
            <Table.Tr>
              {['Name', 'Created', 'Holds', 'Kind', 'Disks', 'Description', ''].map((c) => (
                <Table.Th key={c}>{c}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ snapshot: x, depth }) => (
              <Table.Tr key={x.name} aria-label={`Snapshot ${x.name}`} aria-current={x.current || undefined}>
                <Table.Td style={{ paddingLeft: 8 + depth * 18 }}>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={x.current ? 600 : undefined}>
                      {depth > 0 ? '└ ' : ''}
                      {x.name}
                    </Text>
                    {x.current && (
                      <Badge size="xs" variant="light">
                        current
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{formatTime(x.creationTime)}</Table.Td>
                <Table.Td>{heldState(x)}</Table.Td>
                <Table.Td>{x.location}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{diskList(x)}</Table.Td>
                <Table.Td>{x.description}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap" justify="flex-end">
                    <Button size="compact-xs" variant="default" disabled={s.busy} aria-label={`Revert to ${x.name}`} onClick={() => setOpen({ kind: 'revert', snapshot: x })}>
                      Revert…
                    </Button>
                    {mergeable(x) && (
                      <Button
                        size="compact-xs"
                        variant="default"
                        disabled={s.busy}
                        aria-label={`Merge back ${x.name}`}
                        title="Commit the overlays into the disks below them (blockcommit) and drop this snapshot"
                        onClick={() => void s.run(`Merge back snapshot ${x.name}`, 'snapshot.mergeBack', { snapshot: x.name })}
                      >
                        Merge back
                      </Button>
                    )}
                    <Button size="compact-xs" variant="subtle" color="red" disabled={s.busy} aria-label={`Delete ${x.name}`} onClick={() => setOpen({ kind: 'delete', snapshot: x })}>
                      Delete…
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {open?.kind === 'take' && (
        <TakeSnapshotDialog data={data} vmName={vm.name} onClose={() => setOpen(null)} onTake={(snapshot) => void s.run(`Take snapshot ${snapshot.name}`, 'snapshot.create', { snapshot })} />
      )}
      {open?.kind === 'revert' && (
        <RevertDialog data={data} snapshot={open.snapshot} onClose={() => setOpen(null)} onRevert={(state) => void s.run(`Revert to snapshot ${open.snapshot.name}`, 'snapshot.revert', { snapshot: open.snapshot.name, state })} />
      )}
      {open?.kind === 'delete' && (
        <DeleteSnapshotDialog
          data={data}
          snapshot={open.snapshot}
          onClose={() => setOpen(null)}
          onDelete={(children) => void s.run(`Delete snapshot ${open.snapshot.name}`, 'snapshot.delete', { snapshot: open.snapshot.name, children })}
        />
      )}
    </Stack>
  );
}
