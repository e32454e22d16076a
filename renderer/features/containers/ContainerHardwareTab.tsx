// A libvirt LXC container's hardware, read from its domain XML (shared/containers/view.ts): its
// filesystems, memory limit, CPU share, init, NICs on a bridge or network, user-namespace maps.
// Read-only here; the XML tab edits the whole definition with the VMs' editor and checks. While
// it runs, what differs from the next boot is shown as pending, as for a VM.
import { Alert, Anchor, Button, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { pendingChanges, pendingDiff } from '../../../shared/domain-xml';
import { readContainer, type ContainerFilesystem, type ContainerInterface, type ContainerView } from '../../../shared/containers/view';
import { useNavigation } from '../../store/navigation';
import type { VmRef } from '../../store/vm-ref';
import { FactTable } from '../../ui/FactTable';
import { formatKiB } from '../../ui/format';
import { ListTable } from '../../ui/ListTable';
import { Section } from '../../ui/Section';
import { DiffBlock, LoadErrorAlert } from '../vm/hardware/Notices';
import { readOrNull, useDomain } from '../vm/hardware/useDomain';

export function ContainerHardwareTab({ vm }: { vm: VmRef }) {
  const d = useDomain(vm);
  const go = useNavigation((s) => s.go);
  const view = useMemo(() => readOrNull(d.xml?.persistent, readContainer), [d.xml]);
  const live = useMemo(() => readOrNull(d.xml?.live ?? undefined, readContainer), [d.xml]);
  const pending = useMemo(() => (d.xml?.live ? pendingDiff(pendingChanges(d.xml.live, d.xml.persistent)) : []), [d.xml]);

  if (d.loadError) return <LoadErrorAlert name={vm.name} message={d.loadError} />;
  if (!d.xml) return <Loader size="sm" aria-label="Loading hardware" />;
  if (!view) return <Alert color="red" title="The container's XML could not be read">Open the XML tab to see it as the host has it.</Alert>;

  return (
    <Stack gap="sm" aria-label="Container hardware">
      <Group gap="xs">
        <Text size="xs" c="dimmed">
          The next-boot configuration from the host's LXC driver (<code>virsh -c lxc:///system dumpxml --inactive</code>). Change it in the XML tab.
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={() => go({ kind: 'vm', vm, tab: 'xml' })}>
          Edit XML
        </Button>
      </Group>
      {pending.length > 0 && (
        <Alert color="yellow" p="xs" role="note" title="Pending until restart">
          <DiffBlock diff={pending} label="Running vs next-boot configuration" />
        </Alert>
      )}
      <Section title="Filesystems">
        <ListTable
          label="Filesystems"
          columns={['In the container', 'From the host', 'Type', 'Access']}
          rows={view.filesystems.map((f) => ({
            key: String(f.index),
            label: `Filesystem ${f.target ?? '?'}`,
            cells: [f.target === '/' ? '/ (root)' : (f.target ?? '—'), fsSource(f), f.type ?? 'mount', `${f.accessMode ?? 'passthrough'}${f.readonly ? ', read-only' : ''}`],
          }))}
        />
        {view.filesystems.length === 0 && (
          <Text size="xs" c="dimmed">
            No filesystem: the container shares the host's root filesystem.
          </Text>
        )}
      </Section>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Section title="Memory">
          <FactTable label="Memory" rows={memoryFacts(view)} />
        </Section>
        <Section title="CPU">
          <FactTable label="CPU" rows={cpuFacts(view)} />
        </Section>
      </SimpleGrid>
      <Section title="Network interfaces">
        <ListTable
          label="Network interfaces"
          columns={['NIC', 'On', 'MAC', 'Host side', 'Link']}
          rows={view.interfaces.map((n) => ({
            key: String(n.index),
            label: `NIC ${n.index + 1}`,
            cells: [
              `eth${n.index}`,
              <Anchor component="button" size="sm" onClick={() => go({ kind: 'host', hostId: vm.hostId, tab: 'networks' })} title="Open the host's networks and bridges">
                {nicSource(n)}
              </Anchor>,
              n.mac ?? 'assigned at define',
              live?.interfaces[n.index]?.hostDev ?? (d.xml!.running ? '—' : 'made at start'),
              n.link ?? 'up',
            ],
          }))}
        />
        {view.interfaces.length === 0 && (
          <Text size="xs" c="dimmed">
            {view.privnet ? 'No NIC: a network namespace of its own with only loopback (privnet).' : "No NIC: the container shares the host's network namespace."}
          </Text>
        )}
      </Section>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Section title="Init">
          <FactTable
            label="Init"
            rows={[
              ['OS type', view.osType === 'exe' ? 'exe (an operating-system or application container)' : view.osType],
              ['Architecture', view.arch ?? 'the host\'s'],
              ['Init (PID 1)', view.init ?? '—'],
              ['Arguments', view.initArgs.length ? view.initArgs.join(' ') : 'none'],
              ['Consoles', String(view.consoles)],
            ]}
          />
        </Section>
        <Section title="User namespace">
          {view.idmaps.length ? (
            <ListTable
              label="ID maps"
              columns={['IDs', 'In the container', 'On the host', 'Count']}
              rows={view.idmaps.map((m) => ({ key: `${m.kind}${m.start}`, label: `${m.kind} map ${m.start}`, cells: [m.kind, String(m.start), String(m.target), String(m.count)] }))}
            />
          ) : (
            <Text size="sm">None: the container's root is the host's root (a privileged container).</Text>
          )}
        </Section>
      </SimpleGrid>
    </Stack>
  );
}

function fsSource(f: ContainerFilesystem): string {
  if (f.type === 'ram') return `RAM (tmpfs${f.usageKiB !== null ? `, ${formatKiB(f.usageKiB)}` : ''})`;
  if (f.type === 'block') return `block device ${f.source ?? '?'}`;
  if (f.type === 'file') return `image file ${f.source ?? '?'}`;
  return f.source ?? '—';
}

function nicSource(n: ContainerInterface): string {
  if (n.type === 'bridge') return `bridge ${n.source ?? '?'}`;
  if (n.type === 'network') return `network ${n.source ?? '?'}`;
  if (n.type === 'direct') return `macvtap on ${n.source ?? '?'}${n.sourceMode ? ` (${n.sourceMode})` : ''}`;
  return `${n.type ?? '?'} ${n.source ?? ''}`.trim();
}

function memoryFacts(v: ContainerView): Array<[string, string]> {
  const { hardKiB, softKiB, swapHardKiB } = v.memtune;
  return [
    ['Memory limit', v.memoryKiB !== null ? `${formatKiB(v.memoryKiB)} (the memory cgroup's limit)` : 'not set'],
    ['Hard limit', hardKiB !== null ? formatKiB(hardKiB) : 'not set'],
    ['Soft limit', softKiB !== null ? formatKiB(softKiB) : 'not set'],
    ['Memory + swap limit', swapHardKiB !== null ? formatKiB(swapHardKiB) : 'not set'],
  ];
}

function cpuFacts(v: ContainerView): Array<[string, string]> {
  const { periodUs, quotaUs } = v.cpuQuota;
  return [
    ['vCPUs', v.vcpus !== null ? String(v.vcpus) : '—'],
    ['Pinned to host CPUs', v.cpuset ?? 'any (no cpuset)'],
    ['CPU share', v.cpuShares !== null ? `${v.cpuShares} (weight; the kernel's default is 1024)` : 'not set (the kernel\'s default weight, 1024)'],
    ['CPU cap', quotaUs !== null && periodUs ? `${quotaUs} µs per ${periodUs} µs (${Math.round((quotaUs / periodUs) * 100)} % of one CPU)` : 'none'],
  ];
}
