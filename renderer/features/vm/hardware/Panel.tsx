// What every hardware editor shares: its props, the titled panel with Apply (and Remove device…),
// the facts table, and the small helpers the editors' fields use.
import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { HardwareFacts } from '../../../../shared/contract';
import type { DiffLine, DomainEdit, DomainView } from '../../../../shared/domain-xml';
import { SnapshotFirstCheckbox, useSnapshotFirst } from '../../snapshots/SnapshotFirst';
import type { ApplyWithVolumes } from './useDomain';
import { FactTable, type Fact } from '../../../ui/FactTable';

export interface EditorProps {
  view: DomainView;
  /** The next-boot config's XML (what a device without an editor shows). */
  xml: string;
  /** This entry's running (−) vs next-boot (+) diff; empty when nothing waits. */
  pendingDiff: DiffLine[];
  /** What the host offers (CPU models, volumes…); null while it is read. */
  facts: HardwareFacts | null;
  live: DomainView | null;
  running: boolean;
  busy: boolean;
  apply: ApplyWithVolumes;
}

/** The props of an editor of one device of a list (disks, NICs…): its position in that list. */
export type DeviceEditorProps = EditorProps & { index: number };

/** A labelled editor panel with its Apply button: `edits` [] = nothing changed yet, null = nothing
 *  here can be edited (no Apply at all, only Remove where given). */
export function Panel(props: {
  title: string;
  children: ReactNode;
  edits: DomainEdit[] | null;
  /** The editor's busy flag and apply (every device editor hands its own props). */
  editor: Pick<EditorProps, 'busy' | 'apply'>;
  note?: ReactNode;
  /** The edit that removes this device, offered behind a confirmation. */
  remove?: DomainEdit;
}) {
  const { title, edits, remove } = props;
  const { busy, apply } = props.editor;
  const [confirming, setConfirming] = useState(false);
  const [snapshotFirst, setSnapshotFirst] = useSnapshotFirst(edits);
  return (
    <section aria-label={title}>
      <Stack gap="xs" maw={560}>
        <Title order={3} size="h5">
          {title}
        </Title>
        {props.children}
        {props.note}
        <Group gap="xs">
          {edits && (
            <Button size="xs" disabled={busy || edits.length === 0} loading={busy} onClick={() => void apply(title, edits, undefined, { snapshotFirst })}>
              Apply
            </Button>
          )}
          {edits && edits.length > 0 && <SnapshotFirstCheckbox checked={snapshotFirst} onChange={setSnapshotFirst} disabled={busy} />}
          {edits && edits.length > 0 && (
            <Text size="xs" c="dimmed">
              {edits.length} change{edits.length > 1 ? 's' : ''}: {edits.map((e) => e.kind).join(', ')}
            </Text>
          )}
          {remove &&
            (confirming ? (
              <>
                <Button size="xs" color="red" disabled={busy} onClick={() => void apply(`Remove ${title}`, [remove]).then(() => setConfirming(false))}>
                  Confirm remove
                </Button>
                <Button size="xs" variant="subtle" onClick={() => setConfirming(false)}>
                  Keep
                </Button>
              </>
            ) : (
              <Button size="xs" variant="subtle" color="red" disabled={busy} onClick={() => setConfirming(true)}>
                Remove device…
              </Button>
            ))}
        </Group>
      </Stack>
    </section>
  );
}

/** What an editor shows but does not edit, in the one key/value table. */
export function DeviceFacts({ rows }: { rows: Fact[] }) {
  return <FactTable rows={rows} size="xs" labelWidth={140} fit />;
}

export const DEFAULT = { value: '', label: 'hypervisor default' };
export const opt = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));
export const orNull = (s: string) => (s === '' ? null : s);
export const num = (v: string | number): number => (typeof v === 'number' ? v : Number(v));
