// A virtio device's guest-driver state as QEMU reports it, beside the device.
import { Badge, Button, Group, Text, Tooltip } from '@mantine/core';
import type { VirtioDeviceReport, VirtioReport } from '../../../shared/contract';
import { DRIVER_STATE_TEXT, type GuestDriverState } from '../../../shared/qmp';

const COLOR: Record<GuestDriverState, string> = { ready: 'green', found: 'yellow', none: 'red', failed: 'red', unknown: 'gray' };

/** How QEMU knows: the status bits, or (a QEMU without x-query-virtio) what told it, or why not. */
const bits = (d: VirtioDeviceReport) => (d.statuses.length ? d.statuses.join(', ') : d.basis ? d.basis : d.error ? `not read: ${d.error}` : 'no status bits set');

/** A small badge; its accessible name is "<device label>: <state>". */
export function DriverBadge({ label, device }: { label: string; device: VirtioDeviceReport }) {
  const text = DRIVER_STATE_TEXT[device.state];
  return (
    <Tooltip label={`${device.type}: ${bits(device)}`} withArrow openDelay={300}>
      <Badge size="xs" variant="light" color={COLOR[device.state]} aria-label={`${label}: ${text}`} style={{ flexShrink: 0 }}>
        {device.state === 'ready' ? 'driver ready' : text}
      </Badge>
    </Tooltip>
  );
}

/** The selected device's state in words, its status bits, and a re-read button. */
export function DriverLine({ label, device, report, busy, refresh }: { label: string; device: VirtioDeviceReport | null; report: VirtioReport | null; busy: boolean; refresh(): void }) {
  if (!report?.running) return null;
  const words = device ? DRIVER_STATE_TEXT[device.state] : !report.supported ? 'unknown' : null;
  if (!words) return null;
  return (
    <Group gap="xs" mb="xs" wrap="nowrap" role="group" aria-label={`Guest driver of ${label}`}>
      <Text size="xs">
        Guest driver (QEMU): <b>{words}</b>
        {device ? ` — ${device.type}, ${bits(device)}` : ` — ${report.note ?? ''}`}
      </Text>
      <Button size="compact-xs" variant="subtle" loading={busy} onClick={refresh}>
        Re-read
      </Button>
    </Group>
  );
}
