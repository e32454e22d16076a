// The one key/value table: a fact's name as the row's header (role rowheader), its value in the
// cell beside it, so each row is named "<name> <value>" for assistive technology and tests. Used
// by the host page, the VM overview and the hardware editors.
import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/** A fact: its name and its value; a missing value shows as an em dash. */
export type Fact = [label: string, value: ReactNode];

export function FactTable({
  rows,
  label,
  size,
  labelWidth = 150,
  fit = false,
  multiline = false,
}: {
  rows: Fact[];
  /** The table's accessible name, where a page reads the table by name. */
  label?: string;
  size?: 'xs' | 'sm';
  labelWidth?: number;
  /** As narrow as its content instead of the full width. */
  fit?: boolean;
  /** Values keep their line breaks and wrap anywhere (device lists, long paths). */
  multiline?: boolean;
}) {
  return (
    <Table withRowBorders={false} verticalSpacing={2} fz={size} w={fit ? 'auto' : undefined} aria-label={label}>
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th scope="row" w={labelWidth} fw={500} c="dimmed" style={multiline ? { verticalAlign: 'top' } : undefined}>
              {k}
            </Table.Th>
            <Table.Td style={multiline ? { whiteSpace: 'pre-line', wordBreak: 'break-word' } : undefined}>{v ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
