// A VM page's clone and template buttons: Clone… (any VM), Deploy… (a template), and marking a
// shut-off VM as a template or unmarking one.
import { Badge, Button } from '@mantine/core';
import { useState } from 'react';
import type { VmSummary } from '../../../shared/contract';
import { runTask } from '../../app/api';
import { isContainer } from '../../store/vm-ref';
import { DeployDialog } from '../cloud/DeployDialog';
import { CloneDialog } from './CloneDialog';

export function CloneActions({ vm, host }: { vm: VmSummary; host: string }) {
  const [open, setOpen] = useState<'clone' | 'deploy' | 'cloud'>();
  if (isContainer(vm)) return null;
  const mark = (template: boolean) =>
    void runTask(`${template ? 'Mark' : 'Unmark'} ${vm.name} on ${host} as a template`, 'vm.setTemplate', { hostId: vm.hostId, name: vm.name, template });
  return (
    <>
      {vm.template && (
        <Badge color="grape" variant="light" aria-label={`${vm.name} is a template`}>
          Template
        </Badge>
      )}
      {vm.template && (
        <Button size="compact-sm" variant="filled" color="grape" onClick={() => setOpen('deploy')}>
          Deploy…
        </Button>
      )}
      {vm.template && (
        <Button size="compact-sm" variant="light" color="grape" onClick={() => setOpen('cloud')}>
          Deploy with cloud-init…
        </Button>
      )}
      <Button size="compact-sm" variant="default" onClick={() => setOpen('clone')}>
        Clone…
      </Button>
      {vm.template ? (
        <Button size="compact-sm" variant="subtle" onClick={() => mark(false)}>
          Unmark template
        </Button>
      ) : (
        <Button size="compact-sm" variant="subtle" disabled={vm.state !== 'shutoff'} title={vm.state !== 'shutoff' ? 'Only a shut-off VM can become a template' : undefined} onClick={() => mark(true)}>
          Mark as template
        </Button>
      )}
      {open === 'cloud' && <DeployDialog template={vm} onClose={() => setOpen(undefined)} />}
      <CloneDialog targets={open === 'clone' || open === 'deploy' ? [{ vm, host }] : undefined} deploy={open === 'deploy'} onClose={() => setOpen(undefined)} />
    </>
  );
}
