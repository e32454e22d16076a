// The task pane: every action the user starts, with its outcome. Nothing happens silently.
import { create } from 'zustand';

export interface Task {
  id: number;
  title: string;
  status: 'running' | 'done' | 'failed';
  message?: string;
  startedAt: number;
}

interface TasksState {
  tasks: Task[];
  begin(title: string): number;
  finish(id: number, error?: string): void;
}

let nextId = 1;
const KEEP = 50;

export const useTasks = create<TasksState>()((set) => ({
  tasks: [],
  begin: (title) => {
    const id = nextId++;
    set((s) => ({ tasks: [{ id, title, status: 'running' as const, startedAt: Date.now() }, ...s.tasks].slice(0, KEEP) }));
    return id;
  },
  finish: (id, error) =>
    set((s) => ({
      tasks: s.tasks.map((t) => (t.id === id ? { ...t, status: error ? 'failed' : 'done', message: error } : t)),
    })),
}));
