import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, List, Loader, Paper, Select, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { HostInfo } from '../../../shared/contract';
import { api, runTask } from '../../app/api';
import { HostStateBadge } from '../../ui/StateBadge';
import { useFleet } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';
import { formatDuration, formatKiB, formatPct } from '../../ui/format';
import { TimeGraph } from '../../ui/TimeGraph';

/** Five minutes at the default 2 s interval. */
const LOAD_HISTORY = 150;

interface LoadHistory {
  times: number[];
  cpu: number[];
  mem: number[];
  memTotalKiB: number;
}

/** Host CPU and memory pushed by the backend while this page is open ('host.watch'). */
function useHostLoad(hostId: string, online: boolean): LoadHistory | undefined {
  const [load, setLoad] = useState<LoadHistory>();
  useEffect(() => {
    setLoad(undefined);
    if (!online) return;
    const off = api.onEvent((e) => {
      // The first sample has no CPU figure yet (it needs two): wait for the second.
      if (e.type !== 'host.load' || e.hostId !== hostId || e.cpuPct === undefined) return;
      setLoad((h) => {
        const keep = <T,>(xs: T[], x: T) => [...xs, x].slice(-LOAD_HISTORY);
        return {
          times: keep(h?.times ?? [], e.at / 1000),
          cpu: keep(h?.cpu ?? [], e.cpuPct ?? 0),
          mem: keep(h?.mem ?? [], e.memUsedKiB),
          memTotalKiB: e.memTotalKiB,
        };
      });
    });
    void api.call('host.watch', { hostId, watch: true });
    return () => {
      off();
      void api.call('host.watch', { hostId, watch: false });
    };
  }, [hostId, online]);
  return load;
}

const pctTick = (v: number) => `${Math.round(v)} %`;

function LoadGraphs({ load }: { load?: LoadHistory }) {
  if (!load || load.times.length < 2) {
    return (
      <Section title="Load">
        <Text size="sm" c="dimmed">
          Collecting host CPU and memory…
        </Text>
      </Section>
    );
  }
  const cpuNow = load.cpu.at(-1);
  const memNow = load.mem.at(-1);
  return (
    <Section title="Load">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <div>
          <Text size="xs" c="dimmed" aria-label="Host CPU">
            CPU {formatPct(cpuNow)}
          </Text>
          <TimeGraph label="Host CPU" times={load.times} values={load.cpu} max={100} format={pctTick} color="#228be6" />
        </div>
        <div>
          <Text size="xs" c="dimmed" aria-label="Host memory">
            Memory {formatKiB(memNow)} of {formatKiB(load.memTotalKiB)}
          </Text>
          <TimeGraph label="Host memory" times={load.times} values={load.mem} max={load.memTotalKiB} format={formatKiB} color="#12b886" />
        </div>
      </SimpleGrid>
    </Section>
  );
}

function Facts({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <Table withRowBorders={false} verticalSpacing={2} fz="sm">
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th w={150} fw={500} c="dimmed" scope="row">
              {k}
            </Table.Th>
            <Table.Td>{v ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm" component="section" aria-label={title}>
      <Title order={3} size="h5" mb={6}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function KvmHealth({ info }: { info: HostInfo }) {
  const { kvm } = info;
  const tcg = info.guests.filter((g) => g.accel === 'tcg');
  return (
    <Section title="Virtualization">
      {kvm.usable ? (
        <Alert color="green" variant="light" title="KVM is usable" p="xs">
          Hardware virtualization ({kvm.cpuFlag}) with {kvm.modules.join(', ') || 'the KVM module'} and /dev/kvm.
        </Alert>
      ) : (
        <Alert color="red" variant="light" title="KVM is unavailable" p="xs">
          <List size="sm" spacing={2}>
            {kvm.findings.map((f) => (
              <List.Item key={f}>{f}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Facts
        rows={[
          ['CPU flag', kvm.cpuFlag ?? 'none (no vmx/svm)'],
          ['KVM modules', kvm.modules.length ? kvm.modules.join(', ') : 'none loaded'],
          ['/dev/kvm', kvm.devKvm],
          ['libvirt KVM domains', kvm.libvirtKvm ? 'offered' : 'not offered'],
        ]}
      />
      {tcg.length > 0 ? (
        <Alert color="orange" variant="light" mt="xs" p="xs" title={`${tcg.length} running guest${tcg.length === 1 ? '' : 's'} under TCG: slow`}>
          {tcg.map((g) => g.name).join(', ')} {tcg.length === 1 ? 'runs' : 'run'} under TCG, QEMU's software emulation, many times slower than KVM.
        </Alert>
      ) : (
        <Text size="sm" c="dimmed" mt="xs">
          {info.guests.length === 0 ? 'No guest is running.' : 'Every running guest uses KVM.'}
        </Text>
      )}
      {!kvm.usable && info.guests.length === 0 && (
        <Text size="sm" mt={4}>
          Guests started here run under TCG (software emulation): slow.
        </Text>
      )}
    </Section>
  );
}

function Overview({ info, load }: { info: HostInfo; load?: LoadHistory }) {
  const topo = info.sockets && info.coresPerSocket ? `${info.sockets} socket × ${info.coresPerSocket} core × ${info.threadsPerCore ?? 1} thread` : undefined;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Section title="Host">
          <Facts
            rows={[
              ['Hostname', info.hostname],
              ['libvirt', info.libvirtVersion],
              ['QEMU', info.qemuVersion],
              ['CPU', info.cpuModel],
              ['CPUs', info.cpus !== undefined ? `${info.cpus}${topo ? ` (${topo})` : ''}${info.mhz ? `, ${info.mhz} MHz` : ''}` : undefined],
              ['Memory', info.memoryKiB !== undefined ? `${formatKiB(info.memoryKiB)}${info.memoryFreeKiB !== undefined ? `, ${formatKiB(info.memoryFreeKiB)} free` : ''}` : undefined],
              ['Uptime', formatDuration(info.uptimeSeconds)],
            ]}
          />
        </Section>
        <KvmHealth info={info} />
        <Section title="KSM">
          {!info.ksm.available ? (
            <Text size="sm">This kernel has no KSM (kernel same-page merging).</Text>
          ) : info.ksm.running ? (
            <Text size="sm">
              KSM is on: {info.ksm.pagesSharing ?? 0} pages shared, saving {formatKiB(info.ksm.savedKiB ?? 0)}.
            </Text>
          ) : (
            <Text size="sm">KSM is off: identical guest pages are not merged{info.ksm.pagesSharing ? ` (${info.ksm.pagesSharing} pages still shared)` : ''}.</Text>
          )}
        </Section>
        <Section title="NUMA">
          <Table fz="sm" verticalSpacing={2} aria-label="NUMA cells">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Cell</Table.Th>
                <Table.Th>CPUs</Table.Th>
                <Table.Th>Memory</Table.Th>
                <Table.Th>Free</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {info.numa.map((c) => (
                <Table.Tr key={c.id} aria-label={`NUMA cell ${c.id}`}>
                  <Table.Td>{c.id}</Table.Td>
                  <Table.Td>{compactRanges(c.cpus)}</Table.Td>
                  <Table.Td>{formatKiB(c.memoryKiB)}</Table.Td>
                  <Table.Td>{formatKiB(c.freeKiB)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      </SimpleGrid>
      <LoadGraphs load={load} />
    </Stack>
  );
}

/** [0,1,2,5] -> "0-2,5", as the kernel writes CPU lists. */
function compactRanges(xs: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    out.push(j > i ? `${xs[i]}-${xs[j]}` : `${xs[i]}`);
    i = j;
  }
  return out.join(',');
}

function Networks({ info }: { info: HostInfo }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
      <Section title="Virtual networks">
        <Table fz="sm" verticalSpacing={2} aria-label="Virtual networks">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Autostart</Table.Th>
              <Table.Th>Persistent</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {info.networks.map((n) => (
              <Table.Tr key={n.name} aria-label={`Network ${n.name}`}>
                <Table.Td>{n.name}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={n.active ? 'green' : 'gray'}>
                    {n.active ? 'active' : 'inactive'}
                  </Badge>
                </Table.Td>
                <Table.Td>{n.autostart ? 'yes' : 'no'}</Table.Td>
                <Table.Td>{n.persistent ? 'yes' : 'no'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {info.networks.length === 0 && (
          <Text size="sm" c="dimmed">
            No virtual networks.
          </Text>
        )}
      </Section>
      <Section title="Host bridges">
        <Table fz="sm" verticalSpacing={2} aria-label="Host bridges">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Bridge</Table.Th>
              <Table.Th>Ports</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {info.bridges.map((b) => (
              <Table.Tr key={b.name} aria-label={`Bridge ${b.name}`}>
                <Table.Td>{b.name}</Table.Td>
                <Table.Td>{b.ports.length ? b.ports.join(', ') : <Text span size="sm" c="dimmed">no ports</Text>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {info.bridges.length === 0 && (
          <Text size="sm" c="dimmed">
            No Linux bridges.
          </Text>
        )}
      </Section>
    </SimpleGrid>
  );
}

/** One hypervisor: its facts, health checks, networks and bridges. */
/** This host's own stats schedule (each host runs its own timer), or the app's default. */
function HostStatsInterval({ hostId, label, intervalMs }: { hostId: string; label: string; intervalMs?: number }) {
  return (
    <Select
      size="xs"
      w={150}
      aria-label={`Stats interval of ${label}`}
      allowDeselect={false}
      value={intervalMs ? String(intervalMs) : 'default'}
      onChange={(v) => {
        if (!v) return;
        const ms = v === 'default' ? null : Number(v);
        void runTask(ms ? `Stats every ${ms / 1000} s on ${label}` : `Default stats interval on ${label}`, 'stats.setInterval', { hostId, intervalMs: ms });
      }}
      data={[
        { value: 'default', label: 'Stats: default' },
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
  const hostLoad = useHostLoad(hostId, online);

  const load = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    const outcome = await api.call('host.info', { hostId });
    setLoading(false);
    if (outcome.ok) setInfo(outcome.value);
    else setError(outcome.error.message);
  }, [hostId]);

  useEffect(() => {
    setInfo(undefined);
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
      </Group>
      {!online && (
        <Text size="sm" c="dimmed">
          Connect to {host.config.label} to see its health.
        </Text>
      )}
      {error && (
        <Alert color="red" role="alert" title="Could not read the host" mb="sm">
          {error}
        </Alert>
      )}
      {online && !info && !error && <Loader size="sm" aria-label="Loading host facts" />}
      {info && (
        <Tabs defaultValue="overview" keepMounted={false}>
          <Tabs.List mb="sm">
            <Tabs.Tab value="overview">Overview</Tabs.Tab>
            <Tabs.Tab value="networks">Networks & bridges</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="overview">
            <Overview info={info} load={hostLoad} />
          </Tabs.Panel>
          <Tabs.Panel value="networks">
            <Networks info={info} />
          </Tabs.Panel>
        </Tabs>
      )}
    </>
  );
}
