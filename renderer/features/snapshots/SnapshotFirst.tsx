// "Snapshot first" beside an Apply button: ticked by default for changes to disks and
// controllers, so one click on Revert undoes them. The backend takes it before writing.
import { Checkbox } from '@mantine/core';
import { useState } from 'react';
import type { DomainEdit } from '../../../shared/domain-xml';
import { isRiskyEdit } from '../../../shared/snapshots';

/** Whether to snapshot first: the user's choice, else the default for these edits. */
export function useSnapshotFirst(edits: readonly DomainEdit[] | null): [boolean, (on: boolean) => void] {
  const [choice, setChoice] = useState<boolean | null>(null);
  return [choice ?? (edits ?? []).some(isRiskyEdit), setChoice];
}

export function SnapshotFirstCheckbox({ checked, onChange, disabled, label = 'Snapshot first' }: { checked: boolean; onChange: (on: boolean) => void; disabled?: boolean; label?: string }) {
  return <Checkbox size="xs" label={label} checked={checked} disabled={disabled} onChange={(e) => onChange(e.currentTarget.checked)} title="Take a snapshot of the VM just before the change is written, named after it" />;
}
