// A tuning run on the page: its bar, each VM's result, Cancel while it runs, then Undo and the
// report to save (Markdown or CSV).
import { Badge, Button, Checkbox, Group, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { RestartPolicy, RunItemStatus, TuningRun } from '../../../shared/tuning';
import { VmName } from './VmName';
import { reportCsv, reportMarkdown, runItemStatusWords, runSummary } from '../../../shared/tuning';

const COLOR: Record<RunItemStatus, string> = {
  waiting: 'gray',
  running: 'blue',
  applied: 'green',
  'pending-restart': 'yellow',
  restarted: 'green',
  skipped: 'orange',
  failed: 'red',
  cancelled: 'gray',
};

/** Hand the text to the browser (or Electron) as a file to save. */
function save(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function RunPanel({ run, onCancel, onUndo }: { run: TuningRun; onCancel: () => void; onUndo: (restart: RestartPolicy) => void }) {
  const [restartOnUndo, setRestartOnUndo] = useState(run.options.restart === 'restart-now');
  const ended = run.items.filter((i) => i.status !== 'waiting' && i.status !== 'running').length;
  const active = run.state === 'running' || run.state === 'cancelling';
  return (
    <Stack gap="xs" aria-label={`Run ${run.title}`}>
      <Group gap="xs">
        <Text size="sm" fw={600}>
          {run.title}
        </Text>
        <Badge size="sm" variant="light" aria-label={`Run state ${run.state}`}>
          {run.state}
        </Badge>
        <Text size="xs" c="dimmed" aria-label="Run summary">
          {runSummary(run)}
        </Text>
        {/* In the header: the item list below grows and rewraps as VMs finish; Cancel stays put. */}
        {active && (
          <Button size="compact-xs" color="red" variant="light" disabled={run.state === 'cancelling'} onClick={onCancel}>
            Cancel run
          </Button>
        )}
      </Group>
      <Progress value={run.items.length ? (100 * ended) / run.items.length : 0} size="sm" aria-label={`Progress of ${run.title}`} />
      <ul aria-label="Run items" style={{ listStyle: 'none', padding: 0, margin: 0, maxHeight: 300, overflow: 'auto' }}>
        {run.items.map((i) => (
          <li key={`${i.hostId}\u0000${i.name}`} aria-label={`${i.name} on ${i.hostLabel}: ${runItemStatusWords(i.status)}`}>
            <Group gap={6} wrap="nowrap">
              <Badge size="xs" color={COLOR[i.status]} variant="light">
                {runItemStatusWords(i.status)}
              </Badge>
              <VmName name={i.name} host={i.hostLabel} size="xs" />
              <Text size="xs" c={i.status === 'failed' ? 'red' : 'dimmed'} style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                {i.message ?? i.changes.join(' · ')}
              </Text>
            </Group>
          </li>
        ))}
      </ul>
      <Group gap="xs">
        {!active && run.undoable && (
          <>
            <Button size="xs" variant="default" onClick={() => onUndo(restartOnUndo ? 'restart-now' : 'leave-pending')}>
              Undo plan
            </Button>
            <Checkbox size="xs" label="Restart running VMs after the undo" checked={restartOnUndo} onChange={(e) => setRestartOnUndo(e.currentTarget.checked)} />
          </>
        )}
        {!active && (
          <>
            <Button size="xs" variant="default" onClick={() => save(`${run.runId}.md`, 'text/markdown', reportMarkdown(run))}>
              Save report (Markdown)
            </Button>
            <Button size="xs" variant="default" onClick={() => save(`${run.runId}.csv`, 'text/csv', reportCsv(run))}>
              Save report (CSV)
            </Button>
          </>
        )}
      </Group>
    </Stack>
  );
}
