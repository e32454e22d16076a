import { Button, Group } from '@mantine/core';

/** The foot of a dialog that asks before something the guest or its storage cannot get back:
 *  Cancel, and the red button that does it (and closes the dialog). */
export function ConfirmButtons({ label, onCancel, onConfirm, disabled, autoFocus = false }: { label: string; onCancel: () => void; onConfirm: () => void; disabled?: boolean; autoFocus?: boolean }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button
        color="red"
        disabled={disabled}
        data-autofocus={autoFocus || undefined}
        onClick={() => {
          onConfirm();
          onCancel();
        }}
      >
        {label}
      </Button>
    </Group>
  );
}
