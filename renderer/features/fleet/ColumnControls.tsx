// The fleet table's column controls: a drag handle at each header's right edge (arrow keys move it
// too, a double click gives the column its own width back) and the Columns menu that hides and
// shows them. Both are remembered with the window layout.
import { Button, Checkbox, Popover, Stack } from '@mantine/core';
import { create } from 'zustand';
import { useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { SortColumn } from '../../store/fleet-view';
import { COLUMN_MAX_PX, COLUMN_MIN_PX, useLayout } from '../../store/layout';
import { COLUMNS } from './columns';

const KEY_STEP_PX = 16;

/** The columns the table left out for room just now (it measures; the menu tells). */
export const useFoldedColumns = create<{ folded: SortColumn[] }>(() => ({ folded: [] }));

export function ColumnResizer({ column, label }: { column: SortColumn; label: string }) {
  const width = useLayout((s) => s.columnWidths[column]);
  const setWidth = useLayout((s) => s.setColumnWidth);
  const drag = useRef<{ x: number; px: number } | null>(null);
  const handle = useRef<HTMLDivElement>(null);
  /** The header cell's drawn width: where a drag or a key press starts from. */
  const drawn = (el: HTMLElement) => el.parentElement!.getBoundingClientRect().width;
  // The width a screen reader announces: the one drawn, which follows the window when not set.
  const [shown, setShown] = useState(0);
  useLayoutEffect(() => {
    const cell = handle.current?.parentElement;
    if (!cell) return;
    const seen = new ResizeObserver(() => setShown(Math.round(cell.getBoundingClientRect().width)));
    seen.observe(cell);
    return () => seen.disconnect();
  }, []);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, px: drawn(e.currentTarget) };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => drag.current && setWidth(column, drag.current.px + e.clientX - drag.current.x);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowRight' ? KEY_STEP_PX : e.key === 'ArrowLeft' ? -KEY_STEP_PX : 0;
    if (!step) return;
    e.preventDefault();
    setWidth(column, (width ?? drawn(e.currentTarget)) + step);
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize column ${label}`}
      aria-valuemin={COLUMN_MIN_PX}
      aria-valuemax={COLUMN_MAX_PX}
      aria-valuenow={width ?? shown}
      tabIndex={0}
      ref={handle}
      title="Drag to resize; double-click for the column's own width"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={() => (drag.current = null)}
      onDoubleClick={() => setWidth(column, undefined)}
      onKeyDown={onKeyDown}
      style={{ position: 'absolute', top: 0, bottom: 0, right: 0, width: 6, cursor: 'col-resize', touchAction: 'none', borderRight: '1px solid var(--mantine-color-default-border)' }}
    />
  );
}

export function ColumnsMenu() {
  const hidden = useLayout((s) => s.hiddenColumns);
  const setHidden = useLayout((s) => s.setColumnHidden);
  const reset = useLayout((s) => s.resetColumns);
  const folded = useFoldedColumns((s) => s.folded);
  const counts = [hidden.length ? `${hidden.length} hidden` : '', folded.length ? `${folded.length} folded to fit` : ''].filter(Boolean).join(', ');
  return (
    <Popover position="bottom-end" withinPortal trapFocus>
      <Popover.Target>
        <Button size="compact-sm" variant="default" aria-label="Columns">
          Columns{counts ? ` (${counts})` : ''}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={6}>
          {COLUMNS.map((c) => (
            <Checkbox
              key={c.id}
              size="xs"
              label={c.label}
              // A column folded for room is asked for by ticking it: it then stays, and the table
              // scrolls sideways where the window is too narrow for all that was asked for.
              description={folded.includes(c.id) ? 'Left out: the window is too narrow' : undefined}
              checked={c.id === 'name' || (!hidden.includes(c.id) && !folded.includes(c.id))}
              disabled={c.id === 'name'}
              onChange={(e) => setHidden(c.id, !e.currentTarget.checked)}
            />
          ))}
          <Button size="compact-xs" variant="subtle" onClick={reset}>
            Show all, own widths
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
