// Current and maximum memory; the current one is the balloon target, changed live too.
import { Group, NumberInput, Text } from '@mantine/core';
import { useState } from 'react';
import type { DomainEdit } from '../../../../shared/domain-xml';
import { num, Panel, type EditorProps } from './Panel';

const MiB = 1024;

export function MemoryEditor(p: EditorProps) {
  const v = p.view;
  const [current, setCurrent] = useState<string | number>(Math.round((v.memory.currentKiB ?? 0) / MiB));
  const [max, setMax] = useState<string | number>(Math.round((v.memory.maxKiB ?? 0) / MiB));
  const edits: DomainEdit[] = [];
  const curKiB = Math.round(num(current) * MiB);
  const maxKiB = Math.round(num(max) * MiB);
  if (curKiB !== v.memory.currentKiB || maxKiB !== v.memory.maxKiB) edits.push({ kind: 'set-memory', currentKiB: curKiB, maxKiB });
  return (
    <Panel
      title="Memory"
      edits={edits}
      editor={p}
      note={
        p.running && (
          <Text size="xs" c="dimmed">
            The VM runs: the current memory is the balloon target and is changed live as well (up to the running maximum,{' '}
            {Math.round((p.live?.memory.maxKiB ?? 0) / MiB)} MiB; live now {Math.round((p.live?.memory.currentKiB ?? 0) / MiB)} MiB). A new maximum waits for the next boot.
          </Text>
        )
      }
    >
      <Group gap="sm" align="end">
        <NumberInput size="xs" w={160} label="Current memory (MiB)" value={current} onChange={setCurrent} allowDecimal={false} />
        <NumberInput size="xs" w={160} label="Maximum memory (MiB)" value={max} onChange={setMax} allowDecimal={false} />
      </Group>
    </Panel>
  );
}
