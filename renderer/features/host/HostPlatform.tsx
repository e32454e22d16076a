// The host page's emulation and container facts: which architectures and machine types its QEMU
// runs (natively with KVM, or emulated under TCG), and what LXC containers need of it.
import { Badge, SimpleGrid, Text } from '@mantine/core';
import type { HostInfo } from '../../../shared/contract';
import { runsUnderTcg } from '../../../shared/domain-xml/arch';
import { FactTable } from '../../ui/FactTable';
import { ListTable } from '../../ui/ListTable';
import { Section } from '../../ui/Section';

/** The first machine types of an architecture shown (the aliases come first); the rest counted. */
const MACHINES_SHOWN = 4;

const CGROUP_TEXT: Record<HostInfo['containers']['cgroup'], string> = {
  v2: 'v2 (unified hierarchy)',
  v1: 'v1 (one hierarchy per controller)',
  hybrid: 'hybrid (v1 controllers, plus a cgroup2 mount)',
  none: 'none mounted',
};

/** A badge clips its text by itself; in a table cell that lets the table squeeze it to "TCG (em…". */
const UNCUT = { minWidth: 'max-content' } as const;

export function HostPlatform({ info }: { info: HostInfo }) {
  const c = info.containers;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
      <Section title="Architectures">
        <ListTable
          label="Architectures"
          columns={['Architecture', 'Runs as', 'Machine types']}
          rows={info.emulation.map((e) => ({
            key: e.arch,
            label: `Architecture ${e.arch}`,
            cells: [
              e.arch,
              e.domainTypes.includes('kvm') && !runsUnderTcg(e.arch) ? (
                <Badge size="sm" variant="light" color="green" style={UNCUT}>
                  KVM
                </Badge>
              ) : (
                <Badge size="sm" variant="light" color="gray" title="QEMU emulates this architecture in software (TCG)" style={UNCUT}>
                  TCG (emulated)
                </Badge>
              ),
              <Text span size="xs" title={e.machines.join(', ')}>
                {e.machines.slice(0, MACHINES_SHOWN).join(', ')}
                {e.machines.length > MACHINES_SHOWN ? ` and ${e.machines.length - MACHINES_SHOWN} more` : ''}
              </Text>,
            ],
          }))}
        />
        {info.emulation.length === 0 && (
          <Text size="sm" c="dimmed">
            libvirt reports no QEMU emulators on this host.
          </Text>
        )}
      </Section>
      <Section title="Containers">
        <FactTable
          label="Container facts"
          rows={[
            ['LXC driver', c.lxcDriver === undefined ? 'not checked' : c.lxcDriver ? 'present (lxc:///system)' : 'absent (libvirt-daemon-driver-lxc not loaded)'],
            ['cgroups', `${CGROUP_TEXT[c.cgroup]}${c.cgroupControllers.length ? `: ${c.cgroupControllers.join(', ')}` : ''}`],
            ['Unprivileged user namespaces', `${c.unprivilegedUserns === undefined ? 'unknown' : c.unprivilegedUserns ? 'enabled' : 'disabled'}${c.usernsDetail ? ` (${c.usernsDetail})` : ''}`],
          ]}
        />
      </Section>
    </SimpleGrid>
  );
}
