// The watchdog: its model and what it does when the guest stops answering; and the Add watchdog
// form (which replaces the one a domain may already have).
import { Group, NativeSelect, Text } from '@mantine/core';
import { useState } from 'react';
import { type DomainEdit, WATCHDOG_ACTIONS, WATCHDOG_MODELS } from '../../../../shared/domain-xml';
import { AddFormFrame, useAddFields, type AddFormProps } from './AddForm';
import { opt, Panel, type DeviceEditorProps } from './Panel';


function WatchdogFields(p: { model: string; action: string; onModel(v: string): void; onAction(v: string): void }) {
  return (
    <Group gap="sm">
      <NativeSelect size="xs" w={180} label="Watchdog model" data={opt(WATCHDOG_MODELS)} value={p.model} onChange={(e) => p.onModel(e.currentTarget.value)} />
      <NativeSelect size="xs" w={180} label="Watchdog action" data={opt(WATCHDOG_ACTIONS)} value={p.action} onChange={(e) => p.onAction(e.currentTarget.value)} />
    </Group>
  );
}

export function WatchdogEditor(p: DeviceEditorProps) {
  const w = p.view.watchdogs[p.index]!;
  const [model, setModel] = useState(w.model ?? 'i6300esb');
  const [action, setAction] = useState(w.action ?? 'reset');
  const edits: DomainEdit[] = model !== w.model || action !== (w.action ?? 'reset') ? [{ kind: 'set-watchdog', watchdog: { model: model as never, action: action as never } }] : [];
  return (
    <Panel title="Watchdog" edits={edits} editor={p} remove={{ kind: 'set-watchdog', watchdog: null }}>
      <WatchdogFields model={model} action={action} onModel={setModel} onAction={setAction} />
    </Panel>
  );
}

export function AddWatchdogForm(p: AddFormProps) {
  const [f, set] = useAddFields({ wdModel: 'i6300esb', wdAction: 'reset' });
  const edits: DomainEdit[] = [{ kind: 'set-watchdog', watchdog: { model: f.wdModel as never, action: f.wdAction as never } }];
  return (
    <AddFormFrame {...p} edits={edits}>
      {p.view.watchdog && <Text size="xs">The domain has a watchdog ({p.view.watchdog.model}); this replaces its model and action.</Text>}
      <WatchdogFields model={f.wdModel} action={f.wdAction} onModel={set('wdModel')} onAction={set('wdAction')} />
    </AddFormFrame>
  );
}
