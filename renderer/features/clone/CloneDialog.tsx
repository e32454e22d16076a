// Clone one VM or the fleet's selection, or deploy from a template: a name pattern with {n}
// (and {name} for the source's name when several are cloned), the number of copies, the first
// number and zero padding, the names it gives shown before anything is made; linked clones for a
// template; a running VM is refused unless it may be paused for the copy.
import { Alert, Checkbox, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { expandNamePattern, MAX_CLONES } from '../../../shared/clone';
import type { VmSummary } from '../../../shared/contract';
import { cloneAsTask } from './clone-tasks';
import { DialogButtons } from '../../ui/DialogButtons';

export interface CloneTarget {
  vm: VmSummary;
  host: string;
}

const running = (vm: VmSummary) => vm.state === 'running' || vm.state === 'blocked';

/** The names for one source: `{name}` is the source's name, `{n}` each copy's number. */
export function cloneNames(vm: VmSummary, pattern: string, count: number, first: number, pad: number): { names: string[]; error?: string } {
  try {
    return { names: expandNamePattern({ pattern: pattern.replaceAll('{name}', vm.name), count, first, pad }) };
  } catch (err) {
    return { names: [], error: (err as Error).message };
  }
}

export function CloneDialog({ targets, deploy, onClose }: { targets?: CloneTarget[]; deploy?: boolean; onClose: () => void }) {
  if (!targets?.length) return null;
  return <CloneForm targets={targets} deploy={!!deploy} onClose={onClose} />;
}

function CloneForm({ targets, deploy, onClose }: { targets: CloneTarget[]; deploy: boolean; onClose: () => void }) {
  const single = targets.length === 1;
  const [pattern, setPattern] = useState(single ? `${targets[0]!.vm.name}-clone` : '{name}-clone');
  const [count, setCount] = useState(1);
  const [first, setFirst] = useState(1);
  const [pad, setPad] = useState(0);
  const allTemplates = targets.every((t) => t.vm.template);
  const [linked, setLinked] = useState(deploy && allTemplates);
  const [pause, setPause] = useState(false);
  const busy = targets.filter((t) => running(t.vm));
  const plans = targets.map((t) => ({ ...t, ...cloneNames(t.vm, pattern, count, first, pad) }));
  const error = plans.find((p) => p.error)?.error ?? (busy.length && !pause ? `${busy.map((t) => t.vm.name).join(', ')} ${busy.length === 1 ? 'is' : 'are'} running: a clone copies the disks a running guest keeps writing. Shut ${busy.length === 1 ? 'it' : 'them'} down first, or pause for the copy.` : undefined);
  const verb = deploy ? 'Deploy' : 'Clone';
  const go = () => {
    for (const p of plans) {
      const names = p.names.length > 3 ? `${p.names.slice(0, 2).join(', ')} … ${p.names.at(-1)}` : p.names.join(', ');
      void cloneAsTask(`${verb} ${p.vm.name} on ${p.host} as ${names}${linked ? ' (linked)' : ''}`, {
        hostId: p.vm.hostId,
        name: p.vm.name,
        pattern: pattern.replaceAll('{name}', p.vm.name),
        count,
        first,
        pad,
        linked,
        pause: pause && running(p.vm),
      });
    }
    onClose();
  };
  const title = single ? `${verb} ${targets[0]!.vm.name}` : `${verb} ${targets.length} VMs`;
  return (
    <Modal opened onClose={onClose} title={title} size="md">
      <Stack gap="sm">
        {!single && <Text size="sm">{targets.map((t) => `${t.vm.name} on ${t.host}`).join(', ')}</Text>}
        <TextInput
          label="Name pattern"
          description={`{n} is each copy's number${single ? '' : ', {name} the source VM’s name'}`}
          value={pattern}
          onChange={(e) => setPattern(e.currentTarget.value)}
          data-autofocus
        />
        <Group grow>
          <NumberInput label="Copies" min={1} max={MAX_CLONES} value={count} onChange={(v) => setCount(Number(v) || 0)} allowDecimal={false} />
          <NumberInput label="First number" min={0} value={first} onChange={(v) => setFirst(Number(v) || 0)} allowDecimal={false} />
          <NumberInput label="Zero padding" description="digits" min={0} max={9} value={pad} onChange={(v) => setPad(Number(v) || 0)} allowDecimal={false} />
        </Group>
        <Text size="sm" aria-label="Names of the copies">
          {plans.every((p) => p.names.length) ? plans.flatMap((p) => p.names).join(', ') : '—'}
        </Text>
        {allTemplates && (
          <Checkbox
            label="Linked clones: a qcow2 overlay on the template's disks (instant, small; the template stays protected while they exist)"
            checked={linked}
            onChange={(e) => setLinked(e.currentTarget.checked)}
          />
        )}
        {busy.length > 0 && (
          <Checkbox label={`Pause ${busy.map((t) => t.vm.name).join(', ')} for the copy (resumed after it)`} checked={pause} onChange={(e) => setPause(e.currentTarget.checked)} />
        )}
        <Text size="xs" c="dimmed">
          Each copy gets a new UUID and new MAC addresses; each writable disk {linked ? 'an overlay' : 'a copy'} in its own pool; read-only and shareable disks are shared, CD-ROMs kept, UEFI variables copied.
        </Text>
        {error && (
          <Alert color="red" role="alert" aria-label="Why it cannot be cloned">
            {error}
          </Alert>
        )}
        <DialogButtons label={verb} disabled={!!error} onCancel={onClose} onConfirm={go} />
      </Stack>
    </Modal>
  );
}
