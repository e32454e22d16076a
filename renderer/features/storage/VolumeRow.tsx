// One volume: name (ISO marked), format, capacity and allocation (thin or full), the VMs that use
// it (orphan when none), and its actions.
import { Anchor, Badge, Group, Menu, Table, Text, Tooltip } from '@mantine/core';
import type { StoragePool, StorageVolume } from '../../../shared/contract';
import { isThin } from '../../../shared/storage';
import { useNavigation } from '../../store/navigation';
import type { OpenDialog } from './dialogs';
import { formatBytes } from './format';
import { VolumeRowActions } from './slots';
import { ActionsMenu } from '../../ui/ActionsMenu';

function UsedBy({ hostId, volume }: { hostId: string; volume: StorageVolume }) {
  const go = useNavigation((s) => s.go);
  if (volume.orphan)
    return (
      <Badge size="xs" color="orange" variant="light">
        orphan
      </Badge>
    );
  return (
    <Group gap={4} wrap="wrap">
      {volume.usedBy.map((vm) => (
        <Anchor key={vm} component="button" size="xs" aria-label={`VM ${vm} uses ${volume.name}`} onClick={() => go({ kind: 'vm', vm: { hostId, name: vm } })}>
          {vm}
        </Anchor>
      ))}
      {volume.backingOf.length > 0 && (
        <Tooltip label={volume.backingOf.join(', ')}>
          <Text span size="xs" c="dimmed">
            backs {volume.backingOf.length}
          </Text>
        </Tooltip>
      )}
    </Group>
  );
}

export function VolumeRow({ hostId, pool, volume, open }: { hostId: string; pool: StoragePool; volume: StorageVolume; open: OpenDialog }) {
  const thin = isThin(volume);
  const name = volume.name;
  return (
    <Table.Tr aria-label={`Volume ${name}`}>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Text size="xs" fw={500} style={{ wordBreak: 'break-all' }} title={volume.path ?? undefined}>
            {name}
          </Text>
          {volume.iso && (
            <Badge size="xs" variant="outline" color="grape">
              ISO
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {volume.format ?? volume.type}
          {volume.backingPath ? ` on ${volume.backingPath.split('/').pop()}` : ''}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="xs" aria-label={`Capacity of ${name}`}>
          {formatBytes(volume.capacity)}
        </Text>
        <Text size="xs" c="dimmed">
          {formatBytes(volume.allocation)} {thin ? 'thin' : 'full'}
        </Text>
      </Table.Td>
      <Table.Td aria-label={`Users of ${name}`}>
        <UsedBy hostId={hostId} volume={volume} />
      </Table.Td>
      <Table.Td>
        <Group gap={2} wrap="nowrap" justify="flex-end">
          <VolumeRowActions hostId={hostId} pool={pool} volume={volume} />
          <ActionsMenu label={`Actions of volume ${name}`}>
            <Menu.Item fz="xs" onClick={() => open({ kind: 'attach', pool, volume })}>
              Attach to a VM…
            </Menu.Item>
            <Menu.Item fz="xs" onClick={() => open({ kind: 'resize', pool, volume })}>
              Resize…
            </Menu.Item>
            <Menu.Item fz="xs" onClick={() => open({ kind: 'clone', pool, volume })}>
              Clone…
            </Menu.Item>
            <Menu.Item fz="xs" color="red" onClick={() => open({ kind: 'wipe', pool, volume })}>
              Wipe…
            </Menu.Item>
            <Menu.Item fz="xs" color="red" onClick={() => open({ kind: 'delete-volume', pool, volume })}>
              Delete…
            </Menu.Item>
          </ActionsMenu>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
