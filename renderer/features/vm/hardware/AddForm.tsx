// What every "Add hardware" form shares: its props, its fields (defaults that follow the host's
// facts, which may arrive after the dialog opened, until the admin types), and its frame — what
// happens on a running VM, Cancel and Add.
import { Button, Group, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { DomainEdit, DomainView } from '../../../../shared/domain-xml';
import type { EditorProps } from './Panel';
import type { ApplyWithVolumes, NewVolume } from './useDomain';

export interface AddFormProps {
  /** The VM's host (forms that read its devices). */
  hostId: string;
  view: DomainView;
  facts: EditorProps['facts'];
  busy: boolean;
  running: boolean;
  apply: ApplyWithVolumes;
  /** What adding it is called (dialog title and task). */
  title: string;
  /** Fields chosen before the form opened (a volume handed over from the storage view). */
  preset?: Record<string, string>;
  done(): void;
}

type FieldEvent = { currentTarget: { value: string } } | string;

/** The form's fields: the defaults given at each render, overridden by what was typed. */
export function useAddFields<K extends string>(defaults: Record<K, string>): [Record<K, string>, (k: K) => (e: FieldEvent) => void] {
  const [typed, setTyped] = useState<Partial<Record<K, string>>>({});
  const set = (k: K) => (e: FieldEvent) => {
    const value = typeof e === 'string' ? e : e.currentTarget.value;
    setTyped((x) => ({ ...x, [k]: value }));
  };
  return [{ ...defaults, ...typed }, set];
}

/** The form around a device kind's fields; `live` says what happens on a running VM. */
export function AddFormFrame(p: AddFormProps & { edits: DomainEdit[]; newVolumes?: NewVolume[]; live?: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      {p.children}
      {p.running && (
        <Text size="xs" c="dimmed">
          The VM runs. {p.live || 'The device appears at the next boot (shown as pending until then).'}
        </Text>
      )}
      <Group justify="flex-end" gap="xs">
        <Button size="xs" variant="subtle" onClick={p.done}>
          Cancel
        </Button>
        <Button size="xs" disabled={p.busy || p.edits.length === 0} loading={p.busy} onClick={() => void p.apply(p.title, p.edits, p.newVolumes ?? []).then(() => p.done())}>
          Add
        </Button>
      </Group>
    </Stack>
  );
}
