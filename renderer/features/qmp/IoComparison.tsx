// "Tuning that proves itself": per-disk I/O from QEMU (query-blockstats) over a window the admin
// picks, measured before and after a change, side by side. Kept per VM while the app runs.
import { Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { create } from 'zustand';
import type { IoMeasurement } from '../../../shared/contract';
import type { BlockWindow } from '../../../shared/qmp';
import { vmKey, type VmRef } from '../../store/vm-ref';
import { formatRate } from '../../ui/format';
import { callAsTask } from '../snapshots/useSnapshots';

type Phase = 'before' | 'after';
const useIo = create<{ byVm: Record<string, Partial<Record<Phase, IoMeasurement>>>; put(vm: string, phase: Phase, m: IoMeasurement): void }>((set) => ({
  byVm: {},
  put: (vm, phase, m) => set((s) => ({ byVm: { ...s.byVm, [vm]: { ...s.byVm[vm], [phase]: m } } })),
}));

const WINDOWS = ['10', '30', '60', '120'];
const ms = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)} ms`);
const iops = (w: BlockWindow) => `${(w.readIops + w.writeIops).toFixed(1)}`;
const cells = (w: BlockWindow | undefined) => (w ? [iops(w), formatRate(w.readBytesPerS + w.writeBytesPerS), ms(w.writeLatencyMs), ms(w.readLatencyMs)] : ['—', '—', '—', '—']);

export function IoComparison({ vm, running }: { vm: VmRef; running: boolean }) {
  const [seconds, setSeconds] = useState('10');
  const [busy, setBusy] = useState<Phase | null>(null);
  const key = vmKey(vm);
  const saved = useIo((s) => s.byVm[key]) ?? {};
  const measure = async (phase: Phase) => {
    setBusy(phase);
    const r = await callAsTask(`Measure disk I/O ${phase} (${seconds} s)`, vm, 'qmp.measureIo', { hostId: vm.hostId, name: vm.name, seconds: Number(seconds) });
    setBusy(null);
    if (r.ok) useIo.getState().put(key, phase, r.value);
  };
  const disks = [...new Set([...(saved.before?.disks ?? []), ...(saved.after?.disks ?? [])].map((d) => d.disk))];
  const of = (phase: Phase, disk: string) => saved[phase]?.disks.find((d) => d.disk === disk)?.figures;
  return (
    <Stack gap={4} component="section" aria-label="Disk I/O before and after">
      <Title order={3} size="h5">
        Disk I/O before / after (QEMU block statistics)
      </Title>
      <Group gap="xs" align="end">
        <NativeSelect size="xs" label="Window (s)" data={WINDOWS} value={seconds} onChange={(e) => setSeconds(e.currentTarget.value)} />
        {(['before', 'after'] as const).map((phase) => (
          <Button key={phase} size="xs" variant="light" disabled={!running || busy !== null} loading={busy === phase} onClick={() => void measure(phase)}>
            Measure {phase}
          </Button>
        ))}
      </Group>
      {disks.length > 0 && (
        <Table fz="xs" verticalSpacing={2} aria-label="Disk I/O comparison">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Disk</Table.Th>
              <Table.Th />
              <Table.Th>IOPS</Table.Th>
              <Table.Th>Throughput</Table.Th>
              <Table.Th>Write latency</Table.Th>
              <Table.Th>Read latency</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {disks.flatMap((disk) =>
              (['before', 'after'] as const).map((phase) => (
                <Table.Tr key={`${disk}-${phase}`} aria-label={`${disk} ${phase}`}>
                  <Table.Td>{phase === 'before' ? disk : ''}</Table.Td>
                  <Table.Td>{phase}</Table.Td>
                  {cells(of(phase, disk)).map((c, i) => (
                    <Table.Td key={i}>{c}</Table.Td>
                  ))}
                </Table.Tr>
              )),
            )}
          </Table.Tbody>
        </Table>
      )}
      {!running && (
        <Text size="xs" c="dimmed">
          Measured while the VM runs.
        </Text>
      )}
    </Stack>
  );
}
