// One pool: its header (type, state, autostart, where it lives, a space bar, its actions) and its
// volumes.
import { Badge, Button, Group, Menu, Paper, Progress, Table, Text } from '@mantine/core';
import type { PoolAction, StoragePool, StorageVolume } from '../../../shared/contract';
import { runTask } from '../../app/api';
import type { OpenDialog } from './dialogs';
import { formatBytes, usedPct } from './format';
import { PoolHeaderActions } from './slots';
import { VolumeRow } from './VolumeRow';
import { OnOffBadge } from '../../ui/StateBadge';
import { ActionsMenu } from '../../ui/ActionsMenu';

const ACTION_TITLE: Record<PoolAction, string> = {
  start: 'Start pool',
  stop: 'Stop pool',
  'autostart-on': 'Autostart pool',
  'autostart-off': 'No autostart for pool',
  refresh: 'Refresh pool',
};

export const poolTask = (hostId: string, hostLabel: string, pool: string, action: PoolAction) =>
  runTask(`${ACTION_TITLE[action]} ${pool} on ${hostLabel}`, 'pool.action', { hostId, pool, action });

function SpaceBar({ pool }: { pool: StoragePool }) {
  if (!pool.active || pool.capacity === null) return null;
  const pct = usedPct(pool.allocation, pool.capacity);
  return (
    <Group gap="xs" wrap="nowrap" mt={4}>
      <Progress value={pct} size="md" w={120} style={{ flexShrink: 0 }} color={pct > 90 ? 'red' : pct > 75 ? 'orange' : 'blue'} aria-label={`Space used in pool ${pool.name}`} />
      <Text size="xs" c="dimmed">
        {formatBytes(pool.allocation)} of {formatBytes(pool.capacity)} used, {formatBytes(pool.available)} free
      </Text>
    </Group>
  );
}

export function PoolCard(p: { hostId: string; hostLabel: string; pool: StoragePool; volumes: StorageVolume[]; open: OpenDialog }) {
  const { hostId, hostLabel, pool, volumes, open } = p;
  const act = (action: PoolAction) => void poolTask(hostId, hostLabel, pool.name, action);
  return (
    <Paper withBorder p="xs" role="region" aria-label={`Pool ${pool.name} on ${hostLabel}`}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Group gap={6}>
            <Text fw={600} size="sm" style={{ wordBreak: 'break-all' }}>
              {pool.name}
            </Text>
            <Badge size="xs" variant="light">
              {pool.type}
            </Badge>
            <OnOffBadge on={pool.active} words={['active', 'inactive']} />
            {pool.autostart && (
              <Badge size="xs" variant="outline" color="gray">
                autostart
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
            {[pool.targetPath, pool.source].filter(Boolean).join(' · ')}
          </Text>
        </div>
        <Group gap={4} wrap="nowrap">
          <PoolHeaderActions hostId={hostId} pool={pool} />
          <Button size="compact-xs" variant="default" disabled={!pool.active} onClick={() => act('refresh')} aria-label={`Refresh pool ${pool.name}`}>
            Refresh
          </Button>
          <Button size="compact-xs" variant="light" disabled={!pool.active} onClick={() => open({ kind: 'create-volume', pool })} aria-label={`New volume in ${pool.name}`}>
            New volume
          </Button>
          <ActionsMenu label={`Actions of pool ${pool.name}`}>
            {pool.active ? (
              <Menu.Item fz="xs" onClick={() => act('stop')}>
                Stop
              </Menu.Item>
            ) : (
              <Menu.Item fz="xs" onClick={() => act('start')}>
                Start
              </Menu.Item>
            )}
            <Menu.Item fz="xs" onClick={() => act(pool.autostart ? 'autostart-off' : 'autostart-on')}>
              {pool.autostart ? 'Turn autostart off' : 'Turn autostart on'}
            </Menu.Item>
            <Menu.Item fz="xs" color="red" onClick={() => open({ kind: 'delete-pool', pool })}>
              Delete…
            </Menu.Item>
          </ActionsMenu>
        </Group>
      </Group>
      <SpaceBar pool={pool} />
      {pool.active && volumes.length > 0 && (
        <Table fz="xs" verticalSpacing={2} mt={4} aria-label={`Volumes of pool ${pool.name}`}>
          <Table.Tbody>
            {volumes.map((v) => (
              <VolumeRow key={v.name} hostId={hostId} pool={pool} volume={v} open={open} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {pool.active && volumes.length === 0 && (
        <Text size="xs" c="dimmed" mt={4}>
          No volumes{p.volumes.length === 0 ? '' : ' to show'}.
        </Text>
      )}
    </Paper>
  );
}
