// The task pane: every action the user starts, with its outcome. Nothing happens silently.
// Long work (a transfer) also carries its progress, a way to cancel it and a detail when done.
import { create } from 'zustand';
import type { CommandRecord } from '../../shared/contract';

export interface TaskProgress {
  percent: number;
  bytes: number;
  total: number;
  rateBps: number;
  etaSeconds?: number;
  /** What it counts, in words, where it is not bytes ("3 of 5 VMs"): shown instead of bytes and rate. */
  text?: string;
}

export interface Task {
  id: number;
  title: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  message?: string;
  /** Shown beside a finished task, e.g. the SHA-256 of what a transfer sent. */
  detail?: string;
  progress?: TaskProgress;
  cancel?: () => void;
  startedAt: number;
  /** The command lines its calls ran on the hosts (secrets masked), in order. */
  commands?: CommandRecord[];
  /** The task this one is a step of (a tuning plan's VM): shown under it. */
  parent?: number;
}

/** How a task ended: `commands` are what its call ran (an outcome's `commands`). */
export interface TaskEnd {
  status?: 'cancelled';
  detail?: string;
  commands?: CommandRecord[];
}

interface TasksState {
  tasks: Task[];
  begin(title: string, extra?: Pick<Task, 'cancel' | 'parent'>): number;
  update(id: number, patch: Partial<Pick<Task, 'title' | 'progress' | 'cancel'>>): void;
  finish(id: number, error?: string, end?: TaskEnd): void;
  /** Commands a call made for the task ran (before it ends, or for a task of several calls). */
  addCommands(id: number, commands?: CommandRecord[]): void;
}

let nextId = 1;
const KEEP = 50;
/** Steps kept beside the KEEP tasks (a plan over hundreds of VMs keeps every VM's step). */
const KEEP_STEPS = 1000;

/** The newest KEEP tasks and the steps of those kept. */
function kept(tasks: Task[]): Task[] {
  const top = new Set(tasks.filter((t) => t.parent === undefined).slice(0, KEEP).map((t) => t.id));
  const steps = tasks.filter((t) => t.parent !== undefined && top.has(t.parent)).slice(0, KEEP_STEPS);
  const keep = new Set([...top, ...steps.map((t) => t.id)]);
  return tasks.filter((t) => keep.has(t.id));
}

export const useTasks = create<TasksState>()((set) => ({
  tasks: [],
  begin: (title, extra) => {
    const id = nextId++;
    set((s) => ({ tasks: kept([{ id, title, status: 'running' as const, startedAt: Date.now(), ...extra }, ...s.tasks]) }));
    return id;
  },
  update: (id, patch) => set((s) => ({ tasks: s.tasks.map((t) => (t.id === id && t.status === 'running' ? { ...t, ...patch } : t)) })),
  finish: (id, error, end) =>
    set((s) => ({
      tasks: s.tasks.map((t) =>
        t.id === id
          ? {
              ...withCommands(t, end?.commands),
              status: end?.status ?? (error ? 'failed' : 'done'),
              message: error,
              cancel: undefined,
              ...(end?.detail ? { detail: end.detail } : {}),
            }
          : t,
      ),
    })),
  addCommands: (id, commands) => commands?.length && set((s) => ({ tasks: s.tasks.map((t) => (t.id === id ? withCommands(t, commands) : t)) })),
}));

const withCommands = (t: Task, commands?: CommandRecord[]): Task => (commands?.length ? { ...t, commands: [...(t.commands ?? []), ...commands] } : t);

/** The figures of the status bar: how many tasks run and how many failed. */
export function taskSummary(tasks: readonly Task[]): { running: number; failed: number; text: string } {
  const running = tasks.filter((t) => t.status === 'running').length;
  const failed = tasks.filter((t) => t.status === 'failed').length;
  const parts = [running && `${running} running`, failed && `${failed} failed`].filter(Boolean);
  return { running, failed, text: parts.length ? parts.join(', ') : tasks.length ? 'all done' : 'no tasks yet' };
}
