import { Alert } from '@mantine/core';
import { DialogButtons } from './DialogButtons';

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
      <DialogButtons label={label} loading={busy} onCancel={onCancel} onConfirm={onConfirm} />
    </>
  );
}
