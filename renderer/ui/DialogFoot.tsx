import { Alert, Button, Group } from '@mantine/core';

/** The foot of a dialog that makes something: the host's refusal (if any) above Cancel and the
 *  action button. The dialog stays open on a refusal so the person can fix the field. */
export function DialogFoot({ error, errorTitle, label, busy, onCancel, onConfirm }: { error?: string; errorTitle: string; label: string; busy?: boolean; onCancel(): void; onConfirm(): void }) {
  return (
    <>
      {error && (
        <Alert color="red" role="alert" title={errorTitle}>
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button onClick={onConfirm} loading={busy}>
          {label}
        </Button>
      </Group>
    </>
  );
}
