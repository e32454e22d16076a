// Deploy from a template with cloud-init: N VMs from a name pattern (first number, zero padding),
// spread round robin over the chosen hosts (those holding a template of the same name), linked
// clones or full copies, each with its own hostname (a pattern: {name}, {n}), and one task per VM,
// made one after the other so each sees the names and MACs the last one took. The names are
// checked against every connected host's VMs before anything is made.
import { Alert, Checkbox, Group, List, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { expandDeployNames, type DeployPlanEntry } from '../../../shared/cloud-init';
import type { VmSummary } from '../../../shared/contract';
import { api } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { useTasks } from '../../store/tasks';
import { CloudInitForm } from './CloudInitForm';
import { useCloudInit } from './use-cloud-init';
import { DialogButtons } from '../../ui/DialogButtons';

export function DeployDialog({ template, onClose }: { template: VmSummary; onClose: () => void }) {
  const hosts = useFleet((s) => s.hosts);
  const vmsByHost = useFleet((s) => s.vmsByHost);
  const withTemplate = useMemo(
    () => Object.values(hosts).filter((h) => h.state === 'online' && (vmsByHost[h.config.id] ?? []).some((v) => v.name === template.name && v.template)),
    [hosts, vmsByHost, template.name],
  );
  const [hostIds, setHostIds] = useState<string[]>([template.hostId]);
  const [pattern, setPattern] = useState(`${template.name}-{n}`);
  const [count, setCount] = useState(1);
  const [first, setFirst] = useState(1);
  const [pad, setPad] = useState(0);
  const [linked, setLinked] = useState(true);
  const [start, setStart] = useState(true);
  const firstName = pattern.replaceAll('{n}', String(first).padStart(pad, '0'));
  const sample = useCallback((h: string) => h.replaceAll('{n}', String(first).padStart(pad, '0')).replaceAll('{name}', firstName) || 'vm', [first, pad, firstName]);
  const cloud = useCloudInit('{name}', { sampleHostname: sample });
  const taken = useMemo(() => Object.values(vmsByHost).flat().map((v) => v.name), [vmsByHost]);
  const plan = useMemo((): { entries: DeployPlanEntry[]; error?: string } => {
    try {
      return { entries: expandDeployNames({ pattern, count, first, pad, hosts: hostIds, hostnamePattern: cloud.input.hostname }, taken) };
    } catch (err) {
      return { entries: [], error: (err as Error).message };
    }
  }, [pattern, count, first, pad, hostIds, cloud.input.hostname, taken]);
  const label = (id: string) => hosts[id]?.config.label ?? id;
  const problems = [...(plan.error ? [plan.error] : []), ...cloud.problems];

  const deploy = async () => {
    onClose();
    const tasks = useTasks.getState();
    for (const e of plan.entries) {
      const task = tasks.begin(`Deploy ${e.name} on ${label(e.hostId)} from template ${template.name}${linked ? ' (linked)' : ''}`);
      const outcome = await api.call('cloud.deploy', { hostId: e.hostId, template: template.name, name: e.name, linked, start, cloud: { ...cloud.input, hostname: e.hostname } });
      if (!outcome.ok) tasks.finish(task, outcome.error.message);
      else tasks.finish(task, outcome.value.startError ? `Made, but it did not start: ${outcome.value.startError}` : undefined, { detail: `${outcome.value.steps.at(-1) ?? 'made'}; MAC ${outcome.value.macs.join(', ')}; hostname ${e.hostname}` });
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Deploy from template ${template.name}`} size="xl">
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label="Name pattern" aria-label="Name pattern" value={pattern} onChange={(e) => setPattern(e.currentTarget.value)} description="{n}: each VM's number" />
          <NumberInput label="How many" aria-label="How many" min={1} max={50} allowDecimal={false} value={count} onChange={(v) => setCount(Number(v))} />
          <NumberInput label="First number" aria-label="First number" min={0} allowDecimal={false} value={first} onChange={(v) => setFirst(Number(v))} />
          <NumberInput label="Zero padding" aria-label="Zero padding" min={0} max={9} allowDecimal={false} value={pad} onChange={(v) => setPad(Number(v))} />
        </Group>
        <Checkbox.Group
          label="Hosts (round robin)"
          aria-label="Hosts"
          value={hostIds}
          onChange={setHostIds}
          description={`Hosts that hold a template named "${template.name}"; a linked clone reads its own host's template disk.`}
        >
          <Group mt={4}>
            {withTemplate.map((h) => (
              <Checkbox key={h.config.id} value={h.config.id} label={h.config.label} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group>
          <Checkbox label="Linked clones (overlays on the template's disks)" checked={linked} onChange={(e) => setLinked(e.currentTarget.checked)} />
          <Checkbox label="Start each after deploying" checked={start} onChange={(e) => setStart(e.currentTarget.checked)} />
        </Group>
        <CloudInitForm c={cloud} hostnameLabel="Hostname pattern" hostnameHint="{name}: the VM's name; {n}: its number" />
        {plan.entries.length > 0 && (
          <List size="xs" spacing={0} aria-label="VMs to deploy">
            {plan.entries.map((e) => (
              <List.Item key={e.name}>
                <b>{e.name}</b> on {label(e.hostId)}, hostname {e.hostname}
              </List.Item>
            ))}
          </List>
        )}
        {problems.length > 0 && (
          <Alert color="red" role="alert" title="Not ready yet" p="xs">
            {problems.join(' · ')}
          </Alert>
        )}
        <DialogButtons label={`Deploy ${plan.entries.length || ''}`.trim()} color="grape" disabled={problems.length > 0 || plan.entries.length === 0} onCancel={onClose} onConfirm={() => void deploy()} />
        <Text size="xs" c="dimmed">
          Each VM gets its own seed (hostname, user, keys, MAC-matched network); a failed one removes what it made and the rest go on.
        </Text>
      </Stack>
    </Modal>
  );
}
