// What happened to the last write: applied (and what changed live), refused, or failed.
import { Alert, Button, Code, Group, Text } from '@mantine/core';
import { formatDiff, type DiffLine } from '../../../../shared/domain-xml';
import type { Notice } from './useDomain';

/** The domain's configuration could not be read: libvirt's words. */
export function LoadErrorAlert({ name, message }: { name: string; message: string }) {
  return (
    <Alert color="red" role="alert" title={`Cannot read the configuration of ${name}`}>
      {message}
    </Alert>
  );
}

export function DiffBlock({ diff, label }: { diff: DiffLine[]; label: string }) {
  return (
    <Code block fz="xs" aria-label={label} mah={320} style={{ overflow: 'auto', whiteSpace: 'pre' }}>
      {formatDiff(diff, 2)}
    </Code>
  );
}

export function NoticeView({ notice, onDismiss, onReload }: { notice: Notice; onDismiss(): void; onReload(): void }) {
  if (notice.kind === 'error') {
    return (
      <Alert color="red" role="alert" title={`${notice.what}: not applied`} withCloseButton onClose={onDismiss} closeButtonLabel="Dismiss" mb="sm">
        <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
          {notice.message}
        </Text>
        <Text size="xs" c="dimmed">
          Nothing was written; the configuration on the host is as it was.
        </Text>
      </Alert>
    );
  }
  if (notice.kind === 'confirm') {
    return (
      <Alert color="orange" role="alert" title={`${notice.what}: check before writing`} withCloseButton onClose={onDismiss} closeButtonLabel="Dismiss" mb="sm">
        {notice.warnings.map((w) => (
          <Text size="xs" key={w}>
            {w}
          </Text>
        ))}
        <Text size="xs" c="dimmed">
          Nothing was written yet.
        </Text>
        <Group mt={4}>
          <Button size="compact-xs" color="orange" variant="light" onClick={() => void notice.proceed()}>
            Apply anyway
          </Button>
          <Button size="compact-xs" variant="default" onClick={onDismiss}>
            Cancel
          </Button>
        </Group>
      </Alert>
    );
  }
  if (notice.kind === 'conflict') {
    return (
      <Alert color="orange" role="alert" title={`${notice.what}: refused — the configuration changed on the host`} withCloseButton onClose={onDismiss} closeButtonLabel="Dismiss" mb="sm">
        <Text size="xs" mb={4}>
          Someone changed this VM since it was loaded here, so nothing was written (your change would have undone theirs). Their change (− what you loaded, + what the host has now):
        </Text>
        <DiffBlock diff={notice.diff} label="Changes made elsewhere" />
        <Group mt={4}>
          <Button size="compact-xs" variant="light" onClick={onReload}>
            Reload and review
          </Button>
        </Group>
      </Alert>
    );
  }
  return (
    <Alert color="green" role="status" title={`${notice.what}: applied`} withCloseButton onClose={onDismiss} closeButtonLabel="Dismiss" mb="sm">
      <Text size="xs">Written to the persistent configuration (virsh define --validate).</Text>
      {notice.appliedLive.length > 0 && <Text size="xs">Also changed in the running VM: {notice.appliedLive.join(', ')}.</Text>}
      {notice.liveErrors.map((e) => (
        <Text size="xs" c="orange" key={e}>
          Not changed live (waits for the next boot): {e}
        </Text>
      ))}
    </Alert>
  );
}
