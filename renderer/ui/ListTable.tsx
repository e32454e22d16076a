import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/** One row of a ListTable: its accessible name and its cells, in column order. */
export interface ListRow {
  key: string | number;
  label: string;
  cells: ReactNode[];
}

/** A small named table of things (NUMA cells, networks, bridges): a header row, then a row each. */
export function ListTable({ label, columns, rows }: { label: string; columns: string[]; rows: ListRow[] }) {
  return (
    <Table fz="sm" verticalSpacing={2} aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c) => (
            <Table.Th key={c}>{c}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key} aria-label={r.label}>
            {r.cells.map((c, i) => (
              <Table.Td key={i}>{c}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
