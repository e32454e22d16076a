// The Tasks panel above the status bar: every action with its outcome, libvirt's message on
// failure, a transfer's progress, and the exact command lines each task ran on which host.
import { Button, CloseButton, Code, CopyButton, Group, Loader, ScrollArea, Text, Tooltip } from '@mantine/core';
import { useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { CommandRecord } from '../../shared/contract';
import { useFleet } from '../store/fleet';
import { clampTasksHeight, useLayout } from '../store/layout';
import { useTasks, type Task } from '../store/tasks';
import { taskMark, TaskProgressRow } from '../ui/TaskProgressRow';

const hostLabelOf = (hostId: string) => useFleet.getState().hosts[hostId]?.config.label ?? hostId;

/** Lines to paste into a terminal: a comment naming the host above each host's run of commands. */
export function commandsAsText(commands: readonly CommandRecord[], label: (hostId: string) => string): string {
  const out: string[] = [];
  let host: string | undefined;
  for (const c of commands) {
    if (c.hostId !== host) out.push(`# on ${label(c.hostId)}`);
    host = c.hostId;
    out.push(c.stdinBytes ? `${c.line} < input.xml  # ${c.stdinBytes} bytes on stdin` : c.line);
  }
  return out.join('\n');
}

function CommandList({ task }: { task: Task }) {
  const commands = task.commands ?? [];
  const labels = useFleet((s) => s.hosts);
  const label = (id: string) => labels[id]?.config.label ?? id;
  return (
    <div style={{ paddingLeft: 18, marginBlock: 2 }}>
      <Group gap="xs" mb={2}>
        <Text size="xs" c="dimmed">
          {commands.length} command{commands.length === 1 ? '' : 's'} run over SSH (as the VirtDeck user, with LC_ALL=C)
        </Text>
        <CopyButton value={commandsAsText(commands, hostLabelOf)}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="default" aria-label={`Copy commands of ${task.title}`} onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <ol aria-label={`Commands of ${task.title}`} style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}>
        {commands.map((c, i) => (
          <li key={i} style={{ display: 'flex', gap: 6, alignItems: 'baseline' }}>
            <Text size="xs" c="dimmed" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
              {label(c.hostId)}$
            </Text>
            <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 11 }}>{c.line}</Code>
            {c.stdinBytes ? (
              <Text size="xs" c="dimmed">
                stdin {c.stdinBytes} B
              </Text>
            ) : null}
            {c.exit !== undefined && c.exit !== 0 && (
              <Text size="xs" c="red">
                exit {c.exit ?? 'none'}
              </Text>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

const WRAPS = { minWidth: 0, overflowWrap: 'anywhere' } as const;

function TaskRow({ t, steps = [] }: { t: Task; steps?: readonly Task[] }) {
  const [showing, setShowing] = useState(false);
  const n = t.commands?.length ?? 0;
  return (
    <li aria-label={`${t.title}: ${t.status}`} style={t.parent !== undefined ? { paddingLeft: 18 } : undefined}>
      <Group gap="xs" wrap="nowrap">
        {t.status === 'running' ? <Loader size={10} aria-label="running" /> : <Text size="xs" c={taskMark(t.status).color}>{taskMark(t.status).sign}</Text>}
        {/* The texts wrap in the width left; the mark and the button keep theirs (a long error
            pushed "Show commands" out of the pane). */}
        <Text size="xs" style={WRAPS}>
          {t.title}
        </Text>
        {t.message && (
          <Text size="xs" c={t.status === 'cancelled' ? 'dimmed' : 'red'} style={{ ...WRAPS, flex: 1 }}>
            {t.message}
          </Text>
        )}
        {t.detail && (
          <Text size="xs" c="dimmed" ff="monospace" aria-label={`Detail of ${t.title}`} style={{ ...WRAPS, flex: 1 }}>
            {t.detail}
          </Text>
        )}
        {n > 0 && (
          <Button size="compact-xs" variant="subtle" style={{ flexShrink: 0 }} aria-expanded={showing} aria-label={`Show commands of ${t.title}`} onClick={() => setShowing((v) => !v)}>
            {showing ? 'Hide' : 'Show'} commands ({n})
          </Button>
        )}
      </Group>
      {t.status === 'running' && t.progress && <TaskProgressRow title={t.title} progress={t.progress} cancel={t.cancel} />}
      {showing && <CommandList task={t} />}
      {steps.length > 0 && (
        <ul aria-label={`Steps of ${t.title}`} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {steps.map((c) => (
            <TaskRow key={c.id} t={c} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** Top-level tasks, each with its steps (oldest step first); a step whose task is gone stands alone. */
function grouped(tasks: readonly Task[]): { t: Task; steps: Task[] }[] {
  const ids = new Set(tasks.map((t) => t.id));
  const steps = new Map<number, Task[]>();
  for (const t of tasks) if (t.parent !== undefined && ids.has(t.parent)) (steps.get(t.parent) ?? steps.set(t.parent, []).get(t.parent)!).unshift(t);
  return tasks.filter((t) => t.parent === undefined || !ids.has(t.parent)).map((t) => ({ t, steps: steps.get(t.id) ?? [] }));
}

/** The handle on the panel's top edge: drag it, or focus it and press ↑/↓. */
function ResizeHandle() {
  const height = useLayout((s) => s.tasksHeight);
  const setHeight = useLayout((s) => s.setTasksHeight);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const startY = e.clientY;
    const startH = height;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (m: globalThis.PointerEvent) => setHeight(clampTasksHeight(startH + startY - m.clientY, window.innerHeight));
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowUp' ? 24 : e.key === 'ArrowDown' ? -24 : 0;
    if (!step) return;
    e.preventDefault();
    setHeight(clampTasksHeight(height + step, window.innerHeight));
  };
  return (
    <div
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the Tasks panel"
      aria-valuenow={height}
      aria-valuemin={80}
      aria-valuemax={Math.round(window.innerHeight * 0.6)}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      className="vd-resize-handle"
    />
  );
}

/** The panel itself, shown while open, at the height the admin left it. */
export function TaskPane() {
  const tasks = useTasks((s) => s.tasks);
  const height = useLayout((s) => s.tasksHeight);
  const setOpen = useLayout((s) => s.setTasksOpen);
  return (
    <section aria-label="Tasks panel" style={{ height: clampTasksHeight(height, window.innerHeight), display: 'flex', flexDirection: 'column', borderTop: '1px solid var(--mantine-color-default-border)', flexShrink: 0 }}>
      <ResizeHandle />
      <Group justify="space-between" px="sm" gap="xs" wrap="nowrap">
        <Text size="xs" fw={600}>
          Tasks
        </Text>
        <Tooltip label="Hide the Tasks panel (the status bar brings it back)">
          <CloseButton size="sm" aria-label="Hide the Tasks panel" onClick={() => setOpen(false)} />
        </Tooltip>
      </Group>
      <ScrollArea style={{ flex: 1, minHeight: 0 }} px="sm" pb={4}>
        {/* The log is the live region; the list inside keeps its list semantics. */}
        <div role="log" aria-label="Tasks">
          <ul aria-label="Task list" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {grouped(tasks).map(({ t, steps }) => (
              <TaskRow key={t.id} t={t} steps={steps} />
            ))}
          </ul>
        </div>
        {tasks.length === 0 && (
          <Text size="xs" c="dimmed">
            What you do shows here: each action, its outcome and the commands it ran.
          </Text>
        )}
      </ScrollArea>
    </section>
  );
}

