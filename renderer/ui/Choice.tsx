import { SegmentedControl } from '@mantine/core';

/** A small segmented choice among a few named values (a filter, a mode), named for assistive tech. */
export function Choice<T extends string>({ label, value, onChange, options }: { label: string; value: T; onChange: (value: T) => void; options: ReadonlyArray<readonly [T, string]> }) {
  return <SegmentedControl size="xs" aria-label={label} value={value} onChange={(v) => onChange(v as T)} data={options.map(([v, text]) => ({ value: v, label: text }))} />;
}
