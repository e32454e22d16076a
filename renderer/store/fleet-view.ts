// How the admin left the fleet table — sort, grouping, filter, selection, stats interval — kept
// outside the component, so going to a VM or host page and back finds it as it was.
import { useCallback } from 'react';
import { create } from 'zustand';

/** A column of the fleet table the rows can be sorted by. */
export type SortColumn = 'name' | 'title' | 'host' | 'type' | 'arch' | 'state' | 'vcpus' | 'memory' | 'cpu' | 'memUsed' | 'disk' | 'net' | 'autostart' | 'tuning';
export type GroupBy = 'none' | 'host' | 'state';
export type StateFilter = 'all' | 'running' | 'shutoff' | 'paused' | 'other';
/** VMs, containers, templates or all. */
export type TypeFilter = 'all' | 'vm' | 'container' | 'template';

export interface FleetViewSettings {
  sort: { column: SortColumn; desc: boolean };
  groupBy: GroupBy;
  stateFilter: StateFilter;
  typeFilter: TypeFilter;
  /** One architecture (x86_64, aarch64 …), or '' for every one. */
  archFilter: string;
  /** Groups folded shut. */
  collapsed: Set<string>;
  /** vmKey()s of the selected VMs. */
  selected: Set<string>;
  /** The default stats interval chosen in the toolbar, in ms (as the select's value). */
  intervalMs: string;
}

const useFleetView = create<FleetViewSettings>()(() => ({
  sort: { column: 'name', desc: false },
  groupBy: 'none',
  stateFilter: 'all',
  typeFilter: 'all',
  archFilter: '',
  collapsed: new Set(),
  selected: new Set(),
  intervalMs: '2000',
}));

type Update<T> = T | ((old: T) => T);

/** Like useState, for one fleet-table setting that outlives the component. */
export function useFleetViewSetting<K extends keyof FleetViewSettings>(key: K): [FleetViewSettings[K], (next: Update<FleetViewSettings[K]>) => void] {
  const value = useFleetView((s) => s[key]);
  const set = useCallback(
    (next: Update<FleetViewSettings[K]>) =>
      useFleetView.setState((s) => ({ [key]: typeof next === 'function' ? (next as (old: FleetViewSettings[K]) => FleetViewSettings[K])(s[key]) : next }) as Partial<FleetViewSettings>),
    [key],
  );
  return [value, set];
}
