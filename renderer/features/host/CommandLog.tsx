// A host's last commands (up to 500), newest first: what VirtDeck ran there, for an audit or to
// script from. The periodic reads (stats, event streams) can be hidden to see the actions.
import { Button, Checkbox, Code, CopyButton, Group, ScrollArea, Table, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { CommandRecord } from '../../../shared/contract';
import { api } from '../../app/api';

/** Commands VirtDeck runs by itself, again and again: the stats poll and the event streams. */
const PERIODIC = /^virsh -q -c \S+ (?:domstats|event|pool-event|net-event|uri|list|nodeinfo|nodememstats|nodecpustats)\b/;

export function CommandLog({ hostId, label }: { hostId: string; label: string }) {
  const [log, setLog] = useState<CommandRecord[]>([]);
  const [hidePeriodic, setHidePeriodic] = useState(true);
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    const r = await api.call('host.commandLog', { hostId });
    if (r.ok) setLog(r.value);
    setError(r.ok ? undefined : r.error.message);
  }, [hostId]);
  useEffect(() => void load(), [load]);

  const shown = log.filter((c) => !hidePeriodic || !PERIODIC.test(c.line)).reverse();
  return (
    <section aria-label={`Command log of ${label}`}>
      <Group gap="sm" mb="xs">
        <Button size="compact-xs" variant="default" onClick={() => void load()}>
          Refresh
        </Button>
        <Checkbox size="xs" label="Hide the periodic reads (stats, events, listing)" checked={hidePeriodic} onChange={(e) => setHidePeriodic(e.currentTarget.checked)} />
        <CopyButton value={shown.map((c) => c.line).reverse().join('\n')}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="default" onClick={copy} disabled={!shown.length}>
              {copied ? 'Copied' : 'Copy shown'}
            </Button>
          )}
        </CopyButton>
        <Text size="xs" c="dimmed">
          {shown.length} of the last {log.length} commands on {label}, newest first; secrets masked.
        </Text>
      </Group>
      {error && (
        <Text size="sm" c="red">
          {error}
        </Text>
      )}
      <ScrollArea.Autosize mah="60vh" type="auto" viewportProps={{ tabIndex: 0, role: 'group', 'aria-label': `Scrolling list of the commands run on ${label}` }}>
        <Table striped withRowBorders={false} verticalSpacing={2} aria-label={`Commands run on ${label}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={90}>Time</Table.Th>
              <Table.Th>Command</Table.Th>
              <Table.Th w={70}>Exit</Table.Th>
              <Table.Th w={80}>Took</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((c, i) => (
              <Table.Tr key={`${c.startedAt}-${i}`}>
                <Table.Td>
                  <Text size="xs">{new Date(c.startedAt).toLocaleTimeString()}</Text>
                </Table.Td>
                <Table.Td>
                  <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 11 }}>{c.line}</Code>
                  {c.stdinBytes ? (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      stdin {c.stdinBytes} B
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c={c.exit ? 'red' : undefined}>
                    {c.exit === undefined ? 'running' : (c.exit ?? 'none')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{c.durationMs !== undefined ? `${c.durationMs} ms` : ''}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </section>
  );
}
