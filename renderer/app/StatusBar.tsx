// The window's bottom line: the task summary ("2 running, 1 failed") that opens and shuts the
// Tasks panel, and the colour scheme. A failed task opens the panel by itself.
import { Group, Text, UnstyledButton, useMantineColorScheme } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useLayout } from '../store/layout';
import { useNavigation, type Page } from '../store/navigation';
import { PALETTE_SHORTCUT } from './palette/CommandPalette';
import { taskSummary, useTasks } from '../store/tasks';
import { Choice } from '../ui/Choice';

/** A console on screen: it takes the height the panel would. */
const showsConsole = (page: Page): boolean => (page.kind === 'vm' && page.tab === 'console') || page.kind === 'consoles';

/** Whether the Tasks panel shows: as the admin left it, else once there is a task to show — but
 *  not over a console, unless asked for (or a task failed: see useOpenOnFailure). */
export function useTasksOpen(): boolean {
  const chosen = useLayout((s) => s.tasksOpen);
  const any = useTasks((s) => s.tasks.length > 0);
  const onConsole = useNavigation((s) => showsConsole(s.page));
  return chosen ?? (any && !onConsole);
}

/** Opens the panel when a task fails, so a failure is never missed behind a shut panel. */
export function useOpenOnFailure(): void {
  const failedIds = useRef(new Set<number>());
  useEffect(
    () =>
      useTasks.subscribe((s) => {
        const fresh = s.tasks.filter((t) => t.status === 'failed' && !failedIds.current.has(t.id));
        fresh.forEach((t) => failedIds.current.add(t.id));
        if (fresh.length && useLayout.getState().tasksOpen !== true) useLayout.getState().setTasksOpen(true);
      }),
    [],
  );
}

export function ColorSchemeSwitch() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <Choice label="Colour scheme" value={colorScheme} onChange={setColorScheme} options={[['auto', 'System'], ['light', 'Light'], ['dark', 'Dark']]} />
  );
}

export function StatusBar() {
  const tasks = useTasks((s) => s.tasks);
  const open = useTasksOpen();
  const setOpen = useLayout((s) => s.setTasksOpen);
  const summary = taskSummary(tasks);
  return (
    <Group component="footer" h={32} px="sm" gap="md" justify="space-between" wrap="nowrap" style={{ borderTop: '1px solid var(--mantine-color-default-border)', flexShrink: 0 }}>
      <UnstyledButton aria-expanded={open} aria-label={`Tasks: ${summary.text}`} onClick={() => setOpen(!open)} style={{ fontSize: 'var(--mantine-font-size-xs)' }}>
        {open ? '▾' : '▸'} Tasks:{' '}
        {/* Announced as it changes, but not a second role=status: the page's one status region is
            the outcome of what the person just applied. */}
        <Text span size="xs" c={summary.failed ? 'red' : undefined} fw={summary.failed ? 600 : undefined} aria-live="polite">
          {summary.text}
        </Text>
      </UnstyledButton>
      <Group gap="md" wrap="nowrap">
        <Text size="xs" c="dimmed">
          {PALETTE_SHORTCUT}: command palette
        </Text>
        <ColorSchemeSwitch />
      </Group>
    </Group>
  );
}
