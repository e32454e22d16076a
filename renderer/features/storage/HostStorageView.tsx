// One host's storage: its pools (each with its volumes), an orphan filter, Create pool, and the
// dialogs the pool headers and volume rows open.
import { Alert, Button, Group, Loader, Stack, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useFleet } from '../../store/fleet';
import type { StorageDialog } from './dialogs';
import { PoolCard } from './PoolCard';
import { StorageDialogs } from './StorageDialogs';
import { useHostStorage } from './useHostStorage';

export function HostStorageView({ hostId, withTitle = false }: { hostId: string; withTitle?: boolean }) {
  const label = useFleet((s) => s.hosts[hostId]?.config.label ?? hostId);
  const { online, storage, error, loading, reload } = useHostStorage(hostId);
  const [orphansOnly, setOrphansOnly] = useState(false);
  const [dialog, setDialog] = useState<StorageDialog>();
  const volumes = storage?.volumes.filter((v) => !orphansOnly || v.orphan) ?? [];
  return (
    <Stack gap="xs" role="region" aria-label={`Storage of ${label}`}>
      <Group justify="space-between" gap="xs">
        {withTitle ? (
          <Title order={3} size="h5">
            {label}
          </Title>
        ) : (
          <span />
        )}
        <Group gap="xs">
          <Switch size="xs" label="Orphans only" aria-label={`Show only orphan volumes on ${label}`} checked={orphansOnly} onChange={(e) => setOrphansOnly(e.currentTarget.checked)} />
          <Button size="compact-xs" variant="default" onClick={() => void reload()} loading={loading} disabled={!online} aria-label={`Reload storage of ${label}`}>
            Reload
          </Button>
          <Button size="compact-xs" disabled={!online} onClick={() => setDialog({ kind: 'create-pool' })} aria-label={`Create pool on ${label}`}>
            Create pool
          </Button>
        </Group>
      </Group>
      {!online && (
        <Text size="sm" c="dimmed">
          Connect to {label} to see its storage.
        </Text>
      )}
      {error && (
        <Alert color="red" role="alert" title={`Could not read the storage of ${label}`}>
          {error}
        </Alert>
      )}
      {online && !storage && !error && <Loader size="sm" aria-label={`Loading storage of ${label}`} />}
      {storage?.pools.map((pool) => (
        <PoolCard key={pool.name} hostId={hostId} hostLabel={label} pool={pool} volumes={volumes.filter((v) => v.pool === pool.name)} open={setDialog} />
      ))}
      {storage && storage.pools.length === 0 && (
        <Text size="sm" c="dimmed">
          No storage pools on {label}.
        </Text>
      )}
      {storage && <StorageDialogs hostId={hostId} hostLabel={label} storage={storage} dialog={dialog} close={() => setDialog(undefined)} />}
    </Stack>
  );
}
