// One hypervisor: its facts, health checks, load, networks and bridges.
import { Alert, Anchor, Breadcrumbs, Button, Group, Loader, Tabs, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { HostInfo } from '../../../shared/contract';
import { api, runTask } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';
import { LibvirtFaultBanner } from '../../ui/HostFault';
import { HostStateBadge } from '../../ui/StateBadge';
import { useHostLoad } from './HostLoad';
import { HostNetworksView } from '../networks/HostNetworksView';
import { HostOverview } from './HostOverview';
import { CommandLog } from './CommandLog';
import { HostPlatform } from './HostPlatform';
import { LxcHostSection } from '../lxc/LxcHostSection';
import { ResolvedSshPanel } from './ResolvedSsh';
import { HostStorageView } from '../storage/HostStorageView';
import { NewVmButton } from '../new-vm/NewVmWizard';
import { EvacuateButton } from '../migration/EvacuateButton';
import { PrepareBanner, PreparePanel } from '../prepare/PreparePanel';
import { OneOfSelect } from '../../ui/OneOfSelect';


/** This host's own stats schedule (each host runs its own timer), or the interval the fleet
 *  toolbar sets for every host ("Stats as the fleet": the option says what it sets). */
function HostStatsInterval({ hostId, label, intervalMs }: { hostId: string; label: string; intervalMs?: number }) {
  return (
    <OneOfSelect
      w={150}
      aria-label={`Stats interval of ${label}`}
      value={intervalMs ? String(intervalMs) : 'default'}
      onPick={(v) => {
        const ms = v === 'default' ? null : Number(v);
        void runTask(ms ? `Stats every ${ms / 1000} s on ${label}` : `Default stats interval on ${label}`, 'stats.setInterval', { hostId, intervalMs: ms });
      }}
      data={[
        { value: 'default', label: 'Stats as the fleet' },
        { value: '1000', label: 'Stats every 1 s' },
        { value: '2000', label: 'Stats every 2 s' },
        { value: '5000', label: 'Stats every 5 s' },
        { value: '10000', label: 'Stats every 10 s' },
        { value: '30000', label: 'Stats every 30 s' },
      ]}
    />
  );
}

export function HostPage({ hostId }: { hostId: string }) {
  const go = useNavigation((s) => s.go);
  const host = useFleet((s) => s.hosts[hostId]);
  const online = host?.state === 'online';
  const [info, setInfo] = useState<HostInfo>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [preparing, setPreparing] = useState(false);
  const hostLoad = useHostLoad(hostId, online);

  const load = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    const outcome = await api.call('host.info', { hostId });
    setLoading(false);
    if (outcome.ok) setInfo(outcome.value);
    else setError(outcome.error.message);
  }, [hostId]);

  // A host that drops out and comes back keeps its page as it was (facts, the tab picked) while
  // they are read again; another host starts afresh.
  const [tab, setTab] = useState<string | null>('overview');
  useEffect(() => {
    setInfo(undefined);
    setTab('overview');
  }, [hostId]);
  useEffect(() => {
    if (online) void load();
  }, [online, load]);

  if (!host) return <Text c="dimmed">This connection was removed.</Text>;
  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component="button" size="sm" onClick={() => go({ kind: 'fleet' })}>
          All VMs
        </Anchor>
        <Text size="sm">{host.config.label}</Text>
      </Breadcrumbs>
      <Group gap="sm" mb="sm">
        <Title order={2} size="h3">
          {host.config.label}
        </Title>
        <HostStateBadge state={host.state} />
        <Button size="compact-xs" variant="default" onClick={() => void load()} loading={loading} disabled={!online}>
          Refresh
        </Button>
        <HostStatsInterval hostId={hostId} label={host.config.label} intervalMs={host.config.statsIntervalMs} />
        {online && <NewVmButton hostId={hostId} />}
        <EvacuateButton hostId={hostId} label={host.config.label} disabled={!online} />
        {(online || host.state === 'degraded') && (
          <Button size="compact-xs" variant={host.notHypervisorYet ? 'filled' : 'default'} onClick={() => setPreparing(true)} disabled={preparing}>
            Prepare this host
          </Button>
        )}
      </Group>
      {host.notHypervisorYet ? <PrepareBanner host={host} /> : <LibvirtFaultBanner host={host} />}
      {/* Stays while its host reconnects (Prepare makes the connection again with the key). */}
      {preparing && <PreparePanel hostId={hostId} label={host.config.label} />}
      {!online && host.state !== 'degraded' && (
        <Text size="sm" c="dimmed">
          Connect to {host.config.label} to see its health.
        </Text>
      )}
      {error && host.state !== 'degraded' && (
        <Alert color="red" role="alert" title="Could not read the host" mb="sm">
          {error}
        </Alert>
      )}
      {online && !info && !error && <Loader size="sm" aria-label="Loading host facts" />}
      {info && host.state !== 'disconnected' && (
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List mb="sm">
            <Tabs.Tab value="overview">Overview</Tabs.Tab>
            <Tabs.Tab value="networks">Networks & bridges</Tabs.Tab>
            <Tabs.Tab value="storage">Storage</Tabs.Tab>
            <Tabs.Tab value="platform">Architectures & containers</Tabs.Tab>
            <Tabs.Tab value="commands">Command log</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="overview">
            <HostOverview hostId={hostId} hostLabel={host.config.label} info={info} load={hostLoad} />
          </Tabs.Panel>
          <Tabs.Panel value="networks">
            <HostNetworksView hostId={hostId} label={host.config.label} online={online} />
          </Tabs.Panel>
          <Tabs.Panel value="storage">
            <HostStorageView hostId={hostId} />
          </Tabs.Panel>
          <Tabs.Panel value="platform">
            <HostPlatform info={info} />
            <LxcHostSection hostId={hostId} />
          </Tabs.Panel>
          <Tabs.Panel value="commands">
            <CommandLog hostId={hostId} label={host.config.label} />
          </Tabs.Panel>
        </Tabs>
      )}
      <ResolvedSshPanel query={{ hostId }} />
    </>
  );
}
