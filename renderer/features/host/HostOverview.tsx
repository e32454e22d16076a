// The host page's overview: what the host is, whether KVM is usable (and why not), KSM, NUMA
// cells, and its load.
import { Alert, List, SimpleGrid, Stack, Text } from '@mantine/core';
import type { HostInfo } from '../../../shared/contract';
import { FactTable } from '../../ui/FactTable';
import { formatDuration, formatKiB } from '../../ui/format';
import { ListTable } from '../../ui/ListTable';
import { Section } from '../../ui/Section';
import { LoadGraphs, type LoadHistory } from './HostLoad';
import { KsmPanel } from '../tuning/KsmPanel';

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
      <FactTable
        size="sm"
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

export function HostOverview({ hostId, hostLabel, info, load }: { hostId: string; hostLabel: string; info: HostInfo; load?: LoadHistory }) {
  const topo = info.sockets && info.coresPerSocket ? `${info.sockets} socket × ${info.coresPerSocket} core × ${info.threadsPerCore ?? 1} thread` : undefined;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Section title="Host">
          <FactTable
            size="sm"
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
          <KsmPanel hostId={hostId} hostLabel={hostLabel} />
        </Section>
        <Section title="NUMA">
          <ListTable
            label="NUMA cells"
            columns={['Cell', 'CPUs', 'Memory', 'Free']}
            rows={info.numa.map((c) => ({ key: c.id, label: `NUMA cell ${c.id}`, cells: [c.id, compactRanges(c.cpus), formatKiB(c.memoryKiB), formatKiB(c.freeKiB)] }))}
          />
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
