// How the admin arranged the window — the Tasks panel open or shut and its height, the tuning
// advisor folded, the fleet table's hidden columns and their widths — remembered across restarts
// (localStorage: per app profile, nothing secret).
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { SortColumn } from './fleet-view';

export const TASKS_MIN_HEIGHT = 80;
export const TASKS_DEFAULT_HEIGHT = 180;

interface LayoutState {
  /** undefined: the user never chose, so the panel opens when the first task starts. */
  tasksOpen?: boolean;
  tasksHeight: number;
  advisorOpen: boolean;
  /** Fleet columns the admin hid. */
  hiddenColumns: SortColumn[];
  /** Fleet columns the admin asked for: kept even where the window is too narrow for all. */
  pinnedColumns: SortColumn[];
  /** Fleet column widths the admin dragged, in px (the others keep their own). */
  columnWidths: Partial<Record<SortColumn, number>>;
  setTasksOpen(open: boolean): void;
  setTasksHeight(px: number): void;
  setAdvisorOpen(open: boolean): void;
  /** Hidden, or shown (and pinned: kept in a narrow window too). */
  setColumnHidden(column: SortColumn, hidden: boolean): void;
  /** undefined: back to the column's own width. */
  setColumnWidth(column: SortColumn, px: number | undefined): void;
  resetColumns(): void;
}

export const COLUMN_MIN_PX = 40;
export const COLUMN_MAX_PX = 640;

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
      hiddenColumns: [],
      pinnedColumns: [],
      columnWidths: {},
      setColumnHidden: (column, hidden) =>
        set((s) => ({
          hiddenColumns: hidden ? [...new Set([...s.hiddenColumns, column])] : s.hiddenColumns.filter((c) => c !== column),
          pinnedColumns: hidden ? s.pinnedColumns.filter((c) => c !== column) : [...new Set([...s.pinnedColumns, column])],
        })),
      setColumnWidth: (column, px) =>
        set((s) => {
          const { [column]: _old, ...rest } = s.columnWidths;
          return { columnWidths: px === undefined ? rest : { ...rest, [column]: Math.round(Math.max(COLUMN_MIN_PX, Math.min(px, COLUMN_MAX_PX))) } };
        }),
      resetColumns: () => set({ hiddenColumns: [], pinnedColumns: [], columnWidths: {} }),
    }),
    {
      name: 'virtdeck.layout',
      storage: createJSONStorage(() => localStorage),
      partialize: ({ tasksOpen, tasksHeight, advisorOpen, hiddenColumns, pinnedColumns, columnWidths }) => ({ tasksOpen, tasksHeight, advisorOpen, hiddenColumns, pinnedColumns, columnWidths }),
    },
  ),
);
