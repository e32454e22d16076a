import { Group, Loader, ScrollArea, Text } from '@mantine/core';
import { useTasks } from '../store/tasks';

/** Bottom pane: every action with its outcome, libvirt's message on failure. */
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
              {t.status === 'running' ? <Loader size={10} /> : <Text size="xs" c={t.status === 'done' ? 'green' : 'red'}>{t.status === 'done' ? '✓' : '✗'}</Text>}
              <Text size="xs">{t.title}</Text>
              {t.message && (
                <Text size="xs" c="red">
                  {t.message}
                </Text>
              )}
            </Group>
          </li>
        ))}
      </ul>
    </ScrollArea>
  );
}
