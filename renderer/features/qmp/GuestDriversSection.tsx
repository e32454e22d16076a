// The VM overview's "Guest drivers": every virtio device QEMU lists for the running VM and how far
// the guest's driver got with it (x-query-virtio-status), with a re-read button.
import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { DRIVER_STATE_TEXT } from '../../../shared/qmp';
import { FactTable, type Fact } from '../../ui/FactTable';
import type { VmRef } from '../../store/vm-ref';
import { useGuestDrivers } from './useGuestDrivers';

/** What QEMU calls the device, with the libvirt device it is. */
function deviceName(d: { type: string; ref: { tag: string; id: string } | null; alias: string | null }): string {
  if (!d.ref) return d.type;
  const what = d.ref.tag === 'disk' ? `disk ${d.ref.id}` : d.ref.tag === 'interface' ? `NIC ${d.ref.id}` : d.ref.tag === 'controller' ? `controller ${d.ref.id.replace(':', ' ')}` : d.ref.tag;
  return `${d.type} (${what})`;
}

export function GuestDriversSection({ vm, running }: { vm: VmRef; running: boolean }) {
  const g = useGuestDrivers(vm, running);
  if (!running) return null;
  const rows: Fact[] = (g.report?.devices ?? []).map((d) => [deviceName(d), `${DRIVER_STATE_TEXT[d.state]}${d.statuses.length ? ` (${d.statuses.join(', ')})` : d.basis ? ` (${d.basis})` : d.error ? ` (${d.error})` : ''}`]);
  return (
    <Stack gap={4} component="section" aria-label="Guest drivers">
      <Group justify="space-between">
        <Title order={3} size="h5">
          Guest drivers (QEMU)
        </Title>
        <Button size="compact-xs" variant="subtle" loading={g.busy} onClick={() => void g.refresh()}>
          Re-read
        </Button>
      </Group>
      {g.error && (
        <Text size="xs" c="red">
          {g.error}
        </Text>
      )}
      {g.report?.note && (
        <Text size="xs" c="dimmed">
          {g.report.note}
        </Text>
      )}
      {rows.length > 0 && <FactTable rows={rows} label="Guest drivers" size="xs" labelWidth={220} />}
    </Stack>
  );
}
