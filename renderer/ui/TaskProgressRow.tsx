// A running task's progress in the task pane: bar, percentage, rate, time left and its cancel.
import { Button, Group, Progress, Text } from '@mantine/core';
import { formatBytes, formatEta, formatRate } from '../../shared/transfers';
import type { Task, TaskProgress } from '../store/tasks';

export function TaskProgressRow({ title, progress, cancel }: { title: string; progress: TaskProgress; cancel?: () => void }) {
  return (
    <Group gap="xs" wrap="nowrap" pl={18}>
      <Progress value={progress.percent} w={180} size="sm" aria-label={`Progress of ${title}`} />
      <Text size="xs" aria-label={`Percent of ${title}`}>
        {progress.percent.toFixed(1)} %
      </Text>
      <Text size="xs" c="dimmed">
        {progress.text ?? `${formatBytes(progress.bytes)} of ${formatBytes(progress.total)} · ${formatRate(progress.rateBps)} · ${formatEta(progress.etaSeconds)} left`}
      </Text>
      {cancel && (
        <Button size="compact-xs" variant="subtle" color="red" aria-label={`Cancel ${title}`} onClick={cancel}>
          Cancel
        </Button>
      )}
    </Group>
  );
}

const MARK: Record<Exclude<Task['status'], 'running'>, { sign: string; color: string }> = {
  done: { sign: '✓', color: 'green' },
  failed: { sign: '✗', color: 'red' },
  cancelled: { sign: '–', color: 'dimmed' },
};

export const taskMark = (status: Exclude<Task['status'], 'running'>) => MARK[status];
