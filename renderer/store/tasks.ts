// The task pane: every action the user starts, with its outcome. Nothing happens silently.
// Long work (a transfer) also carries its progress, a way to cancel it and a detail when done.
import { create } from 'zustand';

export interface TaskProgress {
  percent: number;
  bytes: number;
  total: number;
  rateBps: number;
  etaSeconds?: number;
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
}

interface TasksState {
  tasks: Task[];
  begin(title: string, extra?: Pick<Task, 'cancel'>): number;
  update(id: number, patch: Partial<Pick<Task, 'title' | 'progress' | 'cancel'>>): void;
  finish(id: number, error?: string, end?: { status?: 'cancelled'; detail?: string }): void;
}

let nextId = 1;
const KEEP = 50;

export const useTasks = create<TasksState>()((set) => ({
  tasks: [],
  begin: (title, extra) => {
    const id = nextId++;
    set((s) => ({ tasks: [{ id, title, status: 'running' as const, startedAt: Date.now(), ...extra }, ...s.tasks].slice(0, KEEP) }));
    return id;
  },
  update: (id, patch) => set((s) => ({ tasks: s.tasks.map((t) => (t.id === id && t.status === 'running' ? { ...t, ...patch } : t)) })),
  finish: (id, error, end) =>
    set((s) => ({
      tasks: s.tasks.map((t) =>
        t.id === id
          ? { ...t, status: end?.status ?? (error ? 'failed' : 'done'), message: error, cancel: undefined, ...(end?.detail ? { detail: end.detail } : {}) }
          : t,
      ),
    })),
}));
