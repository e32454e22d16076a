// How the admin arranged the window — the Tasks panel open or shut and its height, the tuning
// advisor folded — remembered across restarts (localStorage: per app profile, nothing secret).
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export const TASKS_MIN_HEIGHT = 80;
export const TASKS_DEFAULT_HEIGHT = 180;

interface LayoutState {
  /** undefined: the user never chose, so the panel opens when the first task starts. */
  tasksOpen?: boolean;
  tasksHeight: number;
  advisorOpen: boolean;
  setTasksOpen(open: boolean): void;
  setTasksHeight(px: number): void;
  setAdvisorOpen(open: boolean): void;
}

/** A height the panel may take: at least its header and a row, at most most of the window. */
export const clampTasksHeight = (px: number, windowHeight: number): number => Math.round(Math.max(TASKS_MIN_HEIGHT, Math.min(px, windowHeight * 0.6)));

export const useLayout = create<LayoutState>()(
  persist(
    (set) => ({
      tasksHeight: TASKS_DEFAULT_HEIGHT,
      advisorOpen: true,
      setTasksOpen: (tasksOpen) => set({ tasksOpen }),
      setTasksHeight: (tasksHeight) => set({ tasksHeight }),
      setAdvisorOpen: (advisorOpen) => set({ advisorOpen }),
    }),
    { name: 'virtdeck.layout', storage: createJSONStorage(() => localStorage), partialize: ({ tasksOpen, tasksHeight, advisorOpen }) => ({ tasksOpen, tasksHeight, advisorOpen }) },
  ),
);
