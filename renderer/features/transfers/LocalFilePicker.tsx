// Choosing a file on this machine: the browser's file input, or in the Electron app the native
// open dialog (a path the backend reads itself). Upload dialogs of the storage view and the New VM
// wizard share it; `onPick` hears the choice with the name and size to show.
import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import type { PickedFile } from '../../../shared/contract';
import { formatBytes } from '../../../shared/transfers';
import { api } from '../../app/api';
import { canPickLocalFiles } from './transfer-tasks';

/** A picked file: a File in browser mode, a path in the app. */
export type LocalFile = { kind: 'browser'; file: File; name: string } | { kind: 'native'; picked: PickedFile; name: string };

export function LocalFilePicker({ label, accept, onPick }: { label: string; accept?: string; onPick: (f: LocalFile | null) => void }) {
  const [chosen, setChosen] = useState<LocalFile | null>(null);
  const pick = (f: LocalFile | null) => {
    setChosen(f);
    onPick(f);
  };
  if (canPickLocalFiles()) {
    return (
      <Group>
        <Button
          variant="default"
          aria-label={label}
          onClick={async () => {
            const f = await api.pickFile!('open');
            if (f) pick({ kind: 'native', picked: f, name: f.name });
          }}
        >
          Choose file…
        </Button>
        <Text size="sm">{chosen?.kind === 'native' ? chosen.picked.path : 'No file chosen'}</Text>
      </Group>
    );
  }
  return (
    <label>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <input type="file" aria-label={label} accept={accept} onChange={(e) => {
        const f = e.currentTarget.files?.[0];
        pick(f ? { kind: 'browser', file: f, name: f.name } : null);
      }} />
      {chosen?.kind === 'browser' && (
        <Text size="xs" c="dimmed">
          {formatBytes(chosen.file.size)}
        </Text>
      )}
    </label>
  );
}
