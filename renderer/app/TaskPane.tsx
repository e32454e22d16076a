import { Group, Loader, ScrollArea, Text } from '@mantine/core';
import { useTasks } from '../store/tasks';
import { taskMark, TaskProgressRow } from '../ui/TaskProgressRow';

/** Bottom pane: every action with its outcome, libvirt's message on failure; a transfer's progress. */
export function TaskPane() {
  const tasks = useTasks((s) => s.tasks);
  return (
    <ScrollArea h="100%" px="sm" py={4}>
      <Text size="xs" fw={600} c="dimmed">
        Tasks
      </Text>
      <ul role="log" aria-label="Tasks" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {tasks.map((t) => (
          <li key={t.id} aria-label={`${t.title}: ${t.status}`}>
            <Group gap="xs" wrap="nowrap">
              {t.status === 'running' ? <Loader size={10} /> : <Text size="xs" c={taskMark(t.status).color}>{taskMark(t.status).sign}</Text>}
              <Text size="xs">{t.title}</Text>
              {t.message && (
                <Text size="xs" c={t.status === 'cancelled' ? 'dimmed' : 'red'}>
                  {t.message}
                </Text>
              )}
              {t.detail && (
                <Text size="xs" c="dimmed" ff="monospace" aria-label={`Detail of ${t.title}`}>
                  {t.detail}
                </Text>
              )}
            </Group>
            {t.status === 'running' && t.progress && <TaskProgressRow title={t.title} progress={t.progress} cancel={t.cancel} />}
          </li>
        ))}
      </ul>
    </ScrollArea>
  );
}
