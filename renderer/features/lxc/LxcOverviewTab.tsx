// An LXC-tools container at a glance: its actions (the fleet's, for this one), what the fleet row
// shows, and `lxc-info -H` read again at each state change (raw figures: CPU time, memory).
import { Alert, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../../app/api';
import { useHostLabel, useVm } from '../../store/fleet';
import { vmRef, type VmRef } from '../../store/vm-ref';
import { FactTable } from '../../ui/FactTable';
import { formatKiB } from '../../ui/format';
import { vmStateLabel } from '../../ui/StateBadge';
import { VmActions } from '../vm/OverviewTab';

export function LxcOverviewTab({ vm: ref }: { vm: VmRef }) {
  const vm = useVm(ref);
  const hostLabel = useHostLabel(ref.hostId);
  const [info, setInfo] = useState<{ value?: Record<string, string>; error?: string }>({});
  useEffect(() => {
    let live = true;
    void api.call('vm.dominfo', vmRef(ref)).then((o) => live && setInfo(o.ok ? { value: o.value } : { error: o.error.message }));
    return () => {
      live = false;
    };
  }, [ref.hostId, ref.name, vm?.state]);
  if (!vm) return <Text c="dimmed">{ref.name} is not on {hostLabel} any more.</Text>;
  const lxc = vm.lxc;
  const cpuNs = Number(info.value?.['CPU use']);
  const memBytes = Number(info.value?.['Memory use']);
  return (
    <Stack gap="md">
      <VmActions vm={vm} host={hostLabel} />
      {info.error && <Alert color="red" title="lxc-info failed">{info.error}</Alert>}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <FactTable
          label="Container facts"
          rows={[
            ['Type', 'LXC container (LXC tools)'],
            ['Host', hostLabel],
            ['State', `${vmStateLabel(vm.state)}${lxc ? ` (${lxc.toolState})` : ''}`],
            ['Architecture', vm.arch ? `${vm.arch}${lxc?.emulated ? ' — emulated by QEMU user mode (binfmt), many times slower' : ''}` : undefined],
            ['PID', lxc?.pid],
            ['IPv4', lxc?.ipv4.join(', ') || undefined],
            ['IPv6', lxc?.ipv6.join(', ') || undefined],
            ['Autostart', vm.autostart ? 'on (lxc.start.auto)' : 'off'],
            ['Privileged', lxc?.unprivileged ? 'no (unprivileged)' : 'yes (root)'],
          ]}
        />
        <FactTable
          label="lxc-info"
          rows={[
            ['CPU time', Number.isFinite(cpuNs) ? `${(cpuNs / 1e9).toFixed(2)} s` : undefined],
            ['Memory in use', Number.isFinite(memBytes) ? formatKiB(memBytes / 1024) : undefined],
            ['Kernel memory', info.value?.['KMem use'] ? formatKiB(Number(info.value['KMem use']) / 1024) : undefined],
            ['Block I/O', info.value?.['BlkIO use'] ? `${info.value['BlkIO use']} bytes` : undefined],
          ]}
        />
      </SimpleGrid>
    </Stack>
  );
}
