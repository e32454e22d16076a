// A small select that always holds one value: Mantine's Select lets a second click deselect, which
// no toolbar setting here may (an interval, a filter with its own "every" entry).
import { Select, type SelectProps } from '@mantine/core';

export function OneOfSelect({ onPick, ...props }: Omit<SelectProps, 'onChange' | 'allowDeselect'> & { onPick: (value: string) => void }) {
  return <Select size="xs" {...props} allowDeselect={false} onChange={(v) => v !== null && onPick(v)} />;
}
