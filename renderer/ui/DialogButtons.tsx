import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

export interface DialogButtonsProps {
  label: ReactNode;
  onCancel(): void;
  /** Left out for a form's submit button (the form's onSubmit acts). */
  onConfirm?(): void;
  disabled?: boolean;
  loading?: boolean;
  color?: string;
  autoFocus?: boolean;
}

/** Every dialog's foot: Cancel on the left of the one button that acts. */
export function DialogButtons({ label, onCancel, onConfirm, disabled, loading, color, autoFocus = false }: DialogButtonsProps) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type={onConfirm ? 'button' : 'submit'} color={color} disabled={disabled} loading={loading} data-autofocus={autoFocus || undefined} onClick={onConfirm}>
        {label}
      </Button>
    </Group>
  );
}
