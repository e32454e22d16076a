import { Anchor, Group, Menu, ScrollArea, Stack, Text } from '@mantine/core';
import { runTask } from './api';
import { useState, type ReactNode } from 'react';
import type { VmSummary } from '../../shared/contract';
import { useFleet } from '../store/fleet';
import { useNavigation } from '../store/navigation';
import { vmKey, vmRef } from '../store/vm-ref';
import { hostVmsAreLastKnown, LAST_KNOWN_STYLE, LibvirtFaultLine } from '../ui/HostFault';
import { HostStateBadge, vmStateLabel } from '../ui/StateBadge';
import { vmDropProps } from '../features/migration/drag';
import { ActionsMenu } from '../ui/ActionsMenu';

/** A host's entry: a VM's fleet row dropped on it opens the Migrate dialog towards it. */
function HostDropTarget({ hostId, label, children }: { hostId: string; label: string; children: ReactNode }) {
  return (
    <li aria-label={`Connection ${label}`} {...vmDropProps(hostId)}>
      {children}
    </li>
  );
}

/** Left pane: each connection with its state, and its VMs beneath it. */
export function ConnectionTree() {
  const hosts = useFleet((s) => s.hosts);
  const vmsByHost = useFleet((s) => s.vmsByHost);
  const go = useNavigation((s) => s.go);
  const list = Object.values(hosts).sort((a, b) => a.config.label.localeCompare(b.config.label));

  if (list.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No connections yet. Use “Add connection”.
      </Text>
    );
  }
  return (
    <ScrollArea>
      <nav aria-label="Connections">
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {list.map((host) => {
            const label = host.config.label;
            const connected = host.state !== 'disconnected';
            return (
              <HostDropTarget key={host.config.id} hostId={host.config.id} label={label}>
                <Group justify="space-between" wrap="nowrap" gap={4}>
                  <Anchor component="button" fw={600} size="sm" c="inherit" aria-label={`Open host ${label}`} onClick={() => go({ kind: 'host', hostId: host.config.id })}>
                    {label}
                  </Anchor>
                  <Group gap={4} wrap="nowrap">
                    <HostStateBadge state={host.state} />
                    <ActionsMenu label={`Actions for connection ${label}`}>
                      {host.state === 'degraded' && (
                        <Menu.Item onClick={() => void runTask(`Retry libvirt on ${label}`, 'hosts.connect', { hostId: host.config.id })}>Retry now</Menu.Item>
                      )}
                      {connected ? (
                        <Menu.Item onClick={() => void runTask(`Disconnect ${label}`, 'hosts.disconnect', { hostId: host.config.id })}>Disconnect</Menu.Item>
                      ) : (
                        <Menu.Item onClick={() => void runTask(`Connect ${label}`, 'hosts.connect', { hostId: host.config.id })}>Connect</Menu.Item>
                      )}
                      <Menu.Item color="red" onClick={() => void runTask(`Remove connection ${label}`, 'hosts.remove', { hostId: host.config.id })}>
                        Remove connection
                      </Menu.Item>
                    </ActionsMenu>
                  </Group>
                </Group>
                {host.error && host.state !== 'online' && (
                  <Text size="xs" c="red" role="alert">
                    {host.error}
                  </Text>
                )}
                {host.sshWarning && (
                  <Text size="xs" c="orange" role="note" aria-label={`SSH warning for ${label}`}>
                    {host.sshWarning}
                  </Text>
                )}
                <LibvirtFaultLine host={host} />
                <HostVmList vms={vmsByHost[host.config.id] ?? []} label={label} lastKnown={hostVmsAreLastKnown(host)} onOpen={(vm) => go({ kind: 'vm', vm: vmRef(vm) })} />
              </HostDropTarget>
            );
          })}
        </Stack>
      </nav>
    </ScrollArea>
  );
}

/** A host's VMs in the tree. Past a few dozen the tree stops being a map and becomes a list,
 *  so it shows the first ones and offers the rest; the fleet table (virtualized) has them all. */
const TREE_VM_LIMIT = 40;

function HostVmList({ vms, label, lastKnown, onOpen }: { vms: VmSummary[]; label: string; lastKnown: boolean; onOpen: (vm: VmSummary) => void }) {
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? vms : vms.slice(0, TREE_VM_LIMIT);
  return (
    <>
      <Stack gap={0} component="ul" style={{ listStyle: 'none', paddingLeft: 12, margin: 0, ...(lastKnown ? LAST_KNOWN_STYLE : {}) }}>
        {shown.map((vm) => (
          <Text key={vmKey(vm)} component="li" size="xs" truncate aria-label={`${vm.name} on ${label}: ${vmStateLabel(vm.state)}${lastKnown ? ', last known' : ''}`}>
            <span aria-hidden style={{ color: vm.state === 'running' ? 'var(--mantine-color-green-6)' : 'var(--mantine-color-gray-5)' }}>
              ●
            </span>{' '}
            <Anchor component="button" size="xs" c="inherit" tabIndex={-1} onClick={() => onOpen(vm)}>
              {vm.name}
            </Anchor>
          </Text>
        ))}
      </Stack>
      {vms.length > TREE_VM_LIMIT && (
        <Anchor component="button" size="xs" pl={12} onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Show fewer' : `Show all ${vms.length} VMs of ${label}`}
        </Anchor>
      )}
    </>
  );
}
