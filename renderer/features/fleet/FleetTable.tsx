// The fleet's ARIA table of rows named "VM on HOST". Rows are virtualized (TanStack Virtual), so
// 3 × 300 VMs render only the few dozen rows on screen. Selection: click, Shift+click for a range,
// Ctrl/Cmd+A for all shown, Escape for none; a group row selects or folds its members.
import { Checkbox, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type RefObject } from 'react';
import { useNavigation } from '../../store/navigation';
import type { VmSummary } from '../../../shared/contract';
import { useFleetViewSetting, type SortColumn } from '../../store/fleet-view';
import { vmKey, vmRef } from '../../store/vm-ref';
import { STATS_COLUMNS, type Row } from './model';
import { GroupRow, HeaderCell, ROW_HEIGHT, rowStyle, VmRow } from './FleetRows';
import { fitColumns, gridOf, shownColumns } from './columns';
import { useFoldedColumns } from './ColumnControls';
import { useLayout } from '../../store/layout';
import { useTuning } from '../../store/tuning';

/** A copy of the set with the keys added (on) or taken out. */
function withKeys(set: ReadonlySet<string>, keys: Iterable<string>, on: boolean): Set<string> {
  const next = new Set(set);
  for (const k of keys) on ? next.add(k) : next.delete(k);
  return next;
}

/** The element's inner width (without its scrollbar), kept up to date; 0 until measured. */
function useInnerWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const seen = new ResizeObserver(() => setWidth(el.clientWidth));
    seen.observe(el);
    return () => seen.disconnect();
  }, [ref]);
  return width;
}

export function FleetTable({ rows, visible, selectedCount, empty }: { rows: Row[]; visible: VmSummary[]; selectedCount: number; empty: string }) {
  const [sort, setSort] = useFleetViewSetting('sort');
  const [collapsed, setCollapsed] = useFleetViewSetting('collapsed');
  const [selected, setSelected] = useFleetViewSetting('selected');
  const lastClicked = useRef<string | undefined>(undefined);

  const scrollRef = useRef<HTMLDivElement>(null);
  // The sticky header sits above the first row inside the same scroller: one row height of margin.
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12, scrollMargin: ROW_HEIGHT });

  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const toggle = useCallback((key: string, on: boolean, shift: boolean) => {
    setSelected((s) => {
      const keys = rowsRef.current.flatMap((r) => (r.kind === 'vm' ? [r.key] : []));
      const from = lastClicked.current ? keys.indexOf(lastClicked.current) : -1;
      const to = keys.indexOf(key);
      // Shift+click selects the range since the last click, as file managers do.
      const range = shift && from >= 0 && to >= 0 ? keys.slice(Math.min(from, to), Math.max(from, to) + 1) : [key];
      return withKeys(s, range, on);
    });
    lastClicked.current = key;
  }, []);

  // Keyboard: ↑/↓ (Home/End) move between rows, Space selects, Enter opens (or folds a group).
  const go = useNavigation((s) => s.go);
  const focused = useRef(-1);
  const focusRow = (i: number) => {
    focused.current = i;
    virtualizer.scrollToIndex(i, { align: 'auto' });
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-row-index="${i}"]`)?.focus());
  };
  const onRowKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    // Keys inside a row's own controls (checkbox, link) stay theirs.
    if (target !== e.currentTarget && !target.hasAttribute('data-row-index')) return;
    const at = target.hasAttribute('data-row-index') ? Number(target.getAttribute('data-row-index')) : -1;
    const last = rows.length - 1;
    const move: Record<string, number> = { ArrowDown: Math.min(at + 1, last), ArrowUp: Math.max(at - 1, 0), Home: 0, End: last, PageDown: Math.min(at + 10, last), PageUp: Math.max(at - 10, 0) };
    if (e.key in move && last >= 0) {
      e.preventDefault();
      focusRow(move[e.key]!);
      return;
    }
    const row = rows[at];
    if (!row || (e.key !== ' ' && e.key !== 'Enter')) return;
    e.preventDefault();
    if (row.kind === 'group') {
      if (e.key === 'Enter') setCollapsed((c) => withKeys(c, [row.id], !c.has(row.id)));
      else setSelected((sel) => withKeys(sel, row.keys, !row.keys.every((k) => sel.has(k))));
    } else if (e.key === 'Enter') go({ kind: 'vm', vm: vmRef(row.vm) });
    else toggle(row.key, !selected.has(row.key), e.shiftKey);
  };

  // Columns no visible row has anything for (no VM has a title) take no width.
  const hidden = useLayout((s) => s.hiddenColumns);
  const widths = useLayout((s) => s.columnWidths);
  const tuning = useTuning((s) => s.counts);
  const pinned = useLayout((s) => s.pinnedColumns);
  const width = useInnerWidth(scrollRef);
  const shown = useMemo(() => shownColumns(visible, hidden, tuning), [visible, hidden, tuning]);
  const { columns, bare, folded } = useMemo(() => fitColumns(shown, width, widths, pinned), [shown, width, widths, pinned]);
  const grid = gridOf(columns, widths, bare);
  const foldedKey = folded.join();
  useEffect(() => useFoldedColumns.setState({ folded }), [foldedKey]);

  const onSort = (column: SortColumn) => setSort((s) => ({ column, desc: s.column === column ? !s.desc : STATS_COLUMNS.has(column) }));

  return (
    <div
      role="table"
      aria-label="Virtual machines"
      aria-rowcount={rows.length + 1}
      tabIndex={0}
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key === 'a' && e.target === e.currentTarget) {
          e.preventDefault();
          setSelected(new Set(visible.map(vmKey)));
        } else if (e.key === 'Escape') setSelected(new Set());
        else onRowKey(e);
      }}
      style={{ ['--fleet-grid' as string]: grid.template, ['--fleet-min-width' as string]: `${grid.minWidth}px`, display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0, border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}
    >
      <div ref={scrollRef} style={{ flex: 1, minHeight: 0, overflow: 'auto', contain: 'strict' }}>
        <div role="rowgroup" style={{ position: 'sticky', top: 0, zIndex: 2 }}>
          <div role="row" style={{ ...rowStyle, background: 'var(--mantine-color-body)' }}>
            <div role="columnheader" aria-label="Selection">
              <Checkbox
                size="xs"
                aria-label="Select all VMs"
                checked={visible.length > 0 && selectedCount === visible.length}
                indeterminate={selectedCount > 0 && selectedCount < visible.length}
                onChange={(e) => setSelected(e.currentTarget.checked ? new Set(visible.map(vmKey)) : new Set())}
              />
            </div>
            {columns.map((c) => (
              <HeaderCell key={c.id} {...c} sort={sort} onSort={onSort} />
            ))}
          </div>
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: grid.minWidth }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const style: CSSProperties = { position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start - ROW_HEIGHT}px)` };
            if (row.kind === 'group') {
              return (
                <GroupRow
                  key={`g:${row.id}`}
                  index={item.index}
                  row={row}
                  style={style}
                  collapsed={collapsed.has(row.id)}
                  selectedCount={row.keys.filter((k) => selected.has(k)).length}
                  onCollapse={() => setCollapsed((c) => withKeys(c, [row.id], !c.has(row.id)))}
                  onSelect={(on) => setSelected((s) => withKeys(s, row.keys, on))}
                />
              );
            }
            return <VmRow key={row.key} index={item.index} vm={row.vm} host={row.host} vmKeyId={row.key} selected={selected.has(row.key)} onToggle={toggle} style={style} columns={columns} bare={bare} />;
          })}
        </div>
        {rows.length === 0 && (
          <Text size="sm" c="dimmed" p="md">
            {empty}
          </Text>
        )}
      </div>
    </div>
  );
}
