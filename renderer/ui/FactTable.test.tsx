import { MantineProvider } from '@mantine/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, test } from 'vitest';
import { FactTable } from './FactTable';

const render = (node: React.ReactNode) => renderToStaticMarkup(<MantineProvider>{node}</MantineProvider>);

test('each fact is a row: its name a row header, its value the cell beside it, a missing value an em dash', () => {
  const html = render(<FactTable label="VM details" rows={[['UUID', 'u-1'], ['Boot order', null]]} />);
  expect(html).toContain('aria-label="VM details"');
  const rows = [...html.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) => m[1]!.replace(/<(th|td)[^>]*>/g, '<$1>'));
  expect(rows).toEqual(['<th>UUID</th><td>u-1</td>', '<th>Boot order</th><td>—</td>']);
  expect(html.match(/<th [^>]*scope="row"/g)).toHaveLength(2);
});

test('multiline keeps the values\' line breaks; no label, no accessible name', () => {
  const html = render(<FactTable rows={[['Disks', 'vda\nvdb']]} multiline />);
  expect(html).not.toContain('aria-label');
  expect(html).toContain('white-space:pre-line');
});
