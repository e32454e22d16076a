// A VM at a glance: its lifecycle actions, what it is (from dominfo and the domain XML), and live
// graphs of the figures the fleet table shows as sparklines.
import { Alert, Anchor, Button, Group, Loader, Menu, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { GUEST_AGENT_CHANNEL, readDomain, type DomainView } from '../../../shared/domain-xml';
import type { StatFigure, VmStats, VmSummary } from '../../../shared/contract';
import { api } from '../../app/api';
import { vmStateLabel } from '../../ui/StateBadge';
import { useHostLabel, useVm } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';
import { useStats } from '../../store/stats';
import { vmKey, vmRef, type VmRef } from '../../store/vm-ref';
import { ConfirmActionDialog, type PendingConfirm } from '../../ui/ConfirmActionDialog';
import { FactTable, type Fact } from '../../ui/FactTable';
import { formatKiB, formatPct, formatRate, NO_GUEST_MEMORY_STATS, NOT_REPORTED_HINT } from '../../ui/format';
import { actionButtonProps, MORE_ACTIONS, PRIMARY_ACTIONS, startVmAction, type ActionSpec } from '../../ui/vm-actions';
import { TimeGraph } from '../../ui/TimeGraph';
import { ariaShortcut, useActionShortcuts, withShortcut } from '../../ui/shortcuts';
import { CloneActions } from '../clone/CloneActions';
import { GuestDriversSection } from '../qmp/GuestDriversSection';
import { IoComparison } from '../qmp/IoComparison';
import { useMigrateDialog } from '../migration/open-dialog';

interface Facts {
  dominfo: Record<string, string>;
  domain: DomainView;
  /** Read from the running config when there is one, so device states (agent channel) are live. */
  live: boolean;
}

export function OverviewTab({ vm: ref }: { vm: VmRef }) {
  const vm = useVm(ref);
  const hostLabel = useHostLabel(ref.hostId);
  const facts = useFacts(ref, vm);

  if (!vm) return <Text c="dimmed">{ref.name} is not on {hostLabel} any more.</Text>;
  return (
    <Stack gap="md">
      <VmActions vm={vm} host={hostLabel} />
      {facts.error && (
        <Alert color="red" title="Could not read the VM's details">
          {facts.error}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Details vm={vm} host={hostLabel} facts={facts.value} />
        <Graphs vm={ref} running={vm.state === 'running'} />
      </SimpleGrid>
      {ref.driver !== 'lxc' && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <GuestDriversSection vm={ref} running={vm.state === 'running'} />
          <IoComparison vm={ref} running={vm.state === 'running'} />
        </SimpleGrid>
      )}
    </Stack>
  );
}

/** dominfo and the domain XML, read again whenever the VM's state, title or size changes. */
function useFacts(ref: VmRef, vm: VmSummary | undefined): { value?: Facts; error?: string } {
  const [facts, setFacts] = useState<{ value?: Facts; error?: string }>({});
  const version = vm ? `${vm.state}/${vm.reason}/${vm.title}/${vm.vcpus}/${vm.memoryKiB}/${vm.autostart}` : '';
  useEffect(() => {
    if (!version) return;
    let current = true;
    void Promise.all([api.call('vm.dominfo', vmRef(ref)), api.call('vm.getXml', vmRef(ref))]).then(([info, xml]) => {
      if (!current) return;
      if (!info.ok) return setFacts((f) => ({ ...f, error: info.error.message }));
      if (!xml.ok) return setFacts((f) => ({ ...f, error: xml.error.message }));
      setFacts({ value: { dominfo: info.value, domain: readDomain(xml.value.live ?? xml.value.persistent), live: xml.value.live !== null } });
    });
    return () => {
      current = false;
    };
  }, [vmKey(ref), version]);
  return facts;
}

/** The fleet toolbar's actions, for this one VM: only those its state allows. */
export function VmActions({ vm, host }: { vm: VmSummary; host: string }) {
  const [confirm, setConfirm] = useState<PendingConfirm>();
  const act = (spec: ActionSpec) => startVmAction(spec, [{ vm, host }], setConfirm);
  useActionShortcuts(PRIMARY_ACTIONS, (spec) => spec.allowed(vm) && act(spec));
  const more = MORE_ACTIONS.filter((spec) => spec.allowed(vm));
  return (
    <Group gap={6} role="toolbar" aria-label={`Actions for ${vm.name}`}>
      {PRIMARY_ACTIONS.filter((spec) => spec.allowed(vm)).map((spec) => (
        <Button key={spec.action} size="compact-sm" {...actionButtonProps(spec)} title={withShortcut(spec)} aria-keyshortcuts={spec.key && ariaShortcut(spec.key)} onClick={() => act(spec)}>
          {spec.label}
        </Button>
      ))}
      {more.length > 0 && (
        <Menu position="bottom-start">
          <Menu.Target>
            <Button size="compact-sm" variant="default">
              More
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {more.map((spec) => (
              <Menu.Item key={spec.action} onClick={() => act(spec)}>
                {spec.label}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      )}
      <CloneActions vm={vm} host={host} />
      {(vm.driver ?? 'qemu') === 'qemu' && (
        <Button size="compact-sm" variant="default" onClick={() => useMigrateDialog.getState().open({ vm, hostLabel: host })}>
          Migrate…
        </Button>
      )}
      <ConfirmActionDialog pending={confirm} onClose={() => setConfirm(undefined)} />
    </Group>
  );
}

function Details({ vm, host, facts }: { vm: VmSummary; host: string; facts?: Facts }) {
  const go = useNavigation((s) => s.go);
  const d = facts?.domain;
  const rows: Fact[] = [
    // Every reason libvirt gives (the page is where they are read), but not its placeholder:
    // "shut off (unknown)" says nothing.
    ['State', vm.reason && vm.reason !== 'unknown' ? `${vmStateLabel(vm.state)} (${vm.reason})` : vmStateLabel(vm.state)],
    [
      'Host',
      <Anchor component="button" size="sm" onClick={() => go({ kind: 'host', hostId: vm.hostId })}>
        {host}
      </Anchor>,
    ],
  ];
  if (!facts || !d) return <DetailsSection rows={rows} loading />;
  const info = facts.dominfo;
  const agent = d.channels.find((c) => c.targetName === GUEST_AGENT_CHANNEL);
  const network = d.interfaces.length ? d.interfaces.map((n) => `${n.mac ?? '?'} ${n.model ?? 'default model'} on ${n.type ?? '?'} ${n.source ?? ''}${n.link === 'down' ? ' (link down)' : ''}`).join('\n') : 'none';
  if (d.domainType === 'lxc') {
    // A container: no machine, firmware, disks or guest agent; its root directory instead.
    const root = d.filesystems.find((f) => f.target === '/');
    rows.push(
      ['Title', d.title ?? '—'],
      ['UUID', d.uuid ?? '—'],
      ['vCPUs', String(d.vcpus.current ?? '—')],
      ['Memory limit', formatKiB(d.memory.maxKiB ?? undefined)],
      ['Root filesystem', root ? (root.source ?? root.type ?? '—') : "the host's own"],
      ['Network', network.replace(/ default model/g, '')],
      ['Autostart', vm.autostart ? 'on' : 'off'],
      ['Persistent', info['Persistent'] ?? '—'],
    );
    if (info['CPU time']) rows.push(['CPU time', info['CPU time']]);
    return <DetailsSection rows={rows} />;
  }
  rows.push(
    ['Title', d.title ?? '—'],
    ['Description', d.description ?? '—'],
    ['UUID', d.uuid ?? '—'],
    ['Operating system', d.metadata.libosinfoId ?? 'not recorded (no libosinfo metadata)'],
    ['vCPUs', d.vcpus.max !== null && d.vcpus.max !== d.vcpus.current ? `${d.vcpus.current} of ${d.vcpus.max}` : String(d.vcpus.current ?? '—')],
    ['CPU', cpuText(d)],
    ['Memory', d.memory.maxKiB !== null && d.memory.maxKiB !== d.memory.currentKiB ? `${formatKiB(d.memory.currentKiB ?? undefined)} of ${formatKiB(d.memory.maxKiB)}` : formatKiB(d.memory.currentKiB ?? undefined)],
    ['Machine', [d.domainType === 'kvm' ? 'KVM' : d.domainType === 'qemu' ? 'QEMU (TCG emulation)' : d.domainType, d.os.arch, d.os.machine].filter(Boolean).join(' · ')],
    ['Firmware', d.os.firmware ?? (d.os.type === 'hvm' ? 'BIOS' : '—')],
    ['Disks', d.disks.length ? d.disks.map((k) => `${k.target ?? '?'} (${k.bus ?? '?'}${k.device === 'disk' ? '' : ` ${k.device}`}) ${k.source?.file ?? k.source?.dev ?? k.source?.volume ?? 'empty'}`).join('\n') : 'none'],
    ['Network', network],
    ['Guest agent', agent ? agentText(facts.live, agent.targetState) : 'no guest-agent channel'],
    ['Autostart', vm.autostart ? 'on' : 'off'],
    ['Persistent', info['Persistent'] ?? '—'],
    ['Managed save', info['Managed save'] ?? '—'],
  );
  if (info['CPU time']) rows.push(['CPU time', info['CPU time']]);
  return <DetailsSection rows={rows} />;
}

function DetailsSection({ rows, loading = false }: { rows: Fact[]; loading?: boolean }) {
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        Details
      </Title>
      <FactTable rows={rows} label="VM details" multiline />
      {loading && <Loader size="sm" aria-label="Reading the VM's details" />}
    </Stack>
  );
}

function cpuText(d: DomainView): string {
  const cpu = d.cpu;
  if (!cpu?.mode) return 'hypervisor default';
  const model = cpu.mode === 'custom' && cpu.model ? ` ${cpu.model}` : '';
  const t = cpu.topology;
  const topology = t ? ` · ${t.sockets ?? 1} socket(s) × ${t.cores ?? 1} core(s) × ${t.threads ?? 1} thread(s)` : '';
  return `${cpu.mode}${model}${topology}`;
}

function agentText(live: boolean, state: string | null): string {
  if (!live) return 'channel present (VM not running)';
  return state === 'connected' ? 'connected' : 'channel present, agent not answering in the guest';
}

/** Live graphs from the host's bulk stats: this page adds no polling of its own. */
function Graphs({ vm, running }: { vm: VmRef; running: boolean }) {
  const history = useStats((s) => s.byVm[vmKey(vm)]);
  if (!running) {
    return (
      <Text size="sm" c="dimmed">
        Graphs of CPU, memory, disk and network use show while the VM runs.
      </Text>
    );
  }
  if (!history || history.times.length < 2) return <Loader size="sm" aria-label="Waiting for live figures" />;
  const latest = history.latest;
  return (
    <Stack gap="xs" aria-label="Live figures">
      <Title order={3} size="h5">
        Live
      </Title>
      <Figure figure="cpu" latest={latest} title={`CPU ${formatPct(latest.cpuPct)}`}>
        <TimeGraph label="CPU" times={history.times} values={history.cpu} max={100} format={pctTick} color="#228be6" />
      </Figure>
      <Figure figure="memory" latest={latest} title={memoryTitle(latest)}>
        <TimeGraph label="Memory in use" times={history.times} values={history.mem} floor={1024} format={kibTick} color="#40c057" />
      </Figure>
      <Figure figure="disk" latest={latest} title={`Disk I/O ${formatRate((latest.diskReadBps ?? 0) + (latest.diskWriteBps ?? 0))}`}>
        <TimeGraph label="Disk I/O" times={history.times} values={history.disk} floor={1024} format={rateTick} color="#fab005" />
      </Figure>
      <Figure figure="net" latest={latest} title={`Network I/O ${formatRate((latest.netRxBps ?? 0) + (latest.netTxBps ?? 0))}`}>
        <TimeGraph label="Network I/O" times={history.times} values={history.net} floor={1024} format={rateTick} color="#be4bdb" />
      </Figure>
    </Stack>
  );
}

// Stable tick formatters: TimeGraph rebuilds its chart when `format` changes identity.
const pctTick = (v: number) => `${Math.round(v)} %`;
const kibTick = (v: number) => formatKiB(v);
const rateTick = (v: number) => formatRate(v);

function memoryTitle(latest: VmStats): string {
  if (latest.memSource === 'qemu') return `QEMU process memory ${formatKiB(latest.memUsedKiB)} — ${NO_GUEST_MEMORY_STATS}`;
  if (latest.memSource === 'cgroup') return `Memory in use (cgroup) ${formatKiB(latest.memUsedKiB)}`;
  return `Guest memory in use ${formatKiB(latest.memUsedKiB)}`;
}

const FIGURE_NAMES: Record<StatFigure, string> = { cpu: 'CPU', memory: 'Memory in use', disk: 'Disk I/O', net: 'Network I/O' };

/** One figure's graph, or what its host's driver does not give (never a flat zero line). */
function Figure({ figure, latest, title, children }: { figure: StatFigure; latest: VmStats; title: string; children: ReactNode }) {
  if (latest.unreported?.includes(figure)) {
    return (
      <Text size="xs" c="dimmed" role="note" aria-label={`${FIGURE_NAMES[figure]} not reported`}>
        {FIGURE_NAMES[figure]}: not reported — {NOT_REPORTED_HINT}
      </Text>
    );
  }
  return (
    <div>
      <Text size="xs" c="dimmed">
        {title}
      </Text>
      {children}
    </div>
  );
}
