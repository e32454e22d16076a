// The New VM wizard: on one host (or the one picked), install media, OS, CPU and memory, storage
// and network, then name and the whole domain XML with what each default is for. Create makes
// the volume, defines the VM (`virsh define --validate`) and starts it; a failure says which step
// failed and that what it made was removed.
import { Alert, Button, Checkbox, Code, Group, List, Loader, Modal, ScrollArea, Select, Stack, Stepper, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { hostnameFromVmName } from '../../../shared/cloud-init';
import { explainDefaults, type NewVmSpec, type PlacementNeed } from '../../../shared/new-vm';
import { api } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';
import { useTasks } from '../../store/tasks';
import { CloudInitForm } from '../cloud/CloudInitForm';
import { useCloudInit } from '../cloud/use-cloud-init';
import { cloudPreviewXml, createCloudVm } from '../cloud/wizard-cloud';
import { CpuStep, MediaStep, OsStep, StorageNetworkStep } from './steps';
import { PlacementHint } from './Placement';
import { useNewVm, type WizardState } from './use-new-vm';

export function NewVmButton({ hostId }: { hostId?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="compact-sm" variant="default" onClick={() => setOpen(true)}>
        New VM
      </Button>
      {open && <NewVmWizard initialHostId={hostId} onClose={() => setOpen(false)} />}
    </>
  );
}

/** What the new VM asks of a host, for the placement hint: the chosen pool's kind on this host. */
function need(spec: NewVmSpec, w: WizardState): PlacementNeed {
  const disk = spec.disk;
  const poolKind = (disk.kind === 'new' && w.storage?.pools.find((p) => p.name === disk.pool)?.type) || 'dir';
  return { memoryMiB: spec.memoryMiB, vcpus: spec.vcpus, diskBytes: disk.kind === 'new' ? disk.sizeGiB * 2 ** 30 : 0, poolKind };
}
const PAGES = [MediaStep, OsStep, CpuStep, StorageNetworkStep];
const PAGE_NAMES = ['Install media', 'OS', 'CPU & memory', 'Storage & network'];

function NewVmWizard({ initialHostId, onClose }: { initialHostId?: string; onClose: () => void }) {
  const allHosts = useFleet((s) => s.hosts);
  const hosts = useMemo(() => Object.values(allHosts).filter((h) => h.state === 'online'), [allHosts]);
  const [hostId, setHostId] = useState<string | null>(initialHostId ?? hosts[0]?.config.id ?? null);
  const w = useNewVm(hostId);
  const [step, setStep] = useState(0);
  const [start, setStart] = useState(true);
  const [openConsole, setOpenConsole] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const go = useNavigation((s) => s.go);
  const spec = w.spec;
  const hostIds = useMemo(() => hosts.map((h) => h.config.id), [hosts]);
  const hostLabel = hosts.find((h) => h.config.id === hostId)?.config.label ?? '';
  const cloudInit = useCloudInit('');
  const STEPS = [...PAGE_NAMES, ...(w.cloud ? ['cloud-init'] : []), 'Name & review'];
  // The hostname follows the VM's name until the admin types one of their own.
  const lastName = useRef('');
  useEffect(() => {
    if (!spec) return;
    if (cloudInit.input.hostname === hostnameFromVmName(lastName.current) || cloudInit.input.hostname === '') cloudInit.set({ hostname: spec.name ? hostnameFromVmName(spec.name) : '' });
    lastName.current = spec.name;
  }, [spec?.name]); // eslint-disable-line react-hooks/exhaustive-deps
  const cloudProblems = w.cloud ? cloudInit.problems : [];
  const problems = [...w.problems, ...cloudProblems];

  const create = async () => {
    if (!hostId || !spec || problems.length) return;
    setBusy(true);
    setError(undefined);
    const task = useTasks.getState().begin(`Create VM "${spec.name}" on ${hostLabel}${w.cloud ? ' from a cloud image' : ''}`);
    const outcome = w.cloud ? await createCloudVm(hostId, spec, w.cloud, cloudInit.input, start) : await api.call('newvm.create', { hostId, spec, start });
    setBusy(false);
    if (!outcome.ok) {
      useTasks.getState().finish(task, outcome.error.message);
      setError(outcome.error.message);
      return;
    }
    const r = outcome.value;
    useTasks.getState().finish(task, r.startError ? `Defined, but it did not start: ${r.startError}` : undefined, { detail: r.steps.join(', ') });
    onClose();
    if (openConsole) go({ kind: 'vm', vm: { hostId, name: r.name }, tab: 'console' });
  };

  return (
    <Modal opened onClose={onClose} title="New VM" size="xl">
      <Stack gap="sm">
        <Select label="Host" aria-label="Host" data={hosts.map((h) => ({ value: h.config.id, label: h.config.label }))} value={hostId} onChange={setHostId} allowDeselect={false} />
        {hosts.length > 1 && spec && (step === 0 || step === STEPS.length - 1) && <PlacementHint hostIds={hostIds} need={need(spec, w)} current={hostId} onPick={setHostId} />}
        {hosts.length === 0 && (
          <Text size="sm" c="dimmed">
            Connect a host first: a new VM is made on one of the connected hosts.
          </Text>
        )}
        {w.error && (
          <Alert color="red" role="alert" title="Could not read the host">
            {w.error}
          </Alert>
        )}
        {hostId && !spec && !w.error && <Loader size="sm" aria-label="Reading the host" />}
        {spec && (
          <Stepper active={step} onStepClick={setStep} size="xs" allowNextStepsSelect>
            {PAGES.map((Page, i) => (
              <Stepper.Step key={STEPS[i]} label={STEPS[i]}>
                <Page w={w} spec={spec} />
              </Stepper.Step>
            ))}
            {w.cloud && (
              <Stepper.Step label="cloud-init">
                <CloudInitForm c={cloudInit} />
              </Stepper.Step>
            )}
            <Stepper.Step label="Name & review">
              <Stack gap="sm">
                <Group grow>
                  <TextInput label="Name" aria-label="VM name" value={spec.name} onChange={(e) => w.set({ name: e.currentTarget.value })} data-autofocus />
                  <TextInput label="Title" aria-label="Title" value={spec.title ?? ''} onChange={(e) => w.set({ title: e.currentTarget.value })} />
                </Group>
                <Group>
                  <Checkbox label="Start after creating" checked={start} onChange={(e) => setStart(e.currentTarget.checked)} />
                  <Checkbox label="Open the console after creating" checked={openConsole} onChange={(e) => setOpenConsole(e.currentTarget.checked)} />
                  <Checkbox label="Autostart with the host" checked={spec.autostart} onChange={(e) => w.set({ autostart: e.currentTarget.checked })} />
                </Group>
                <List size="xs" spacing={2} aria-label="What each default is for">
                  {explainDefaults(spec).map((d) => (
                    <List.Item key={d.item}>
                      <b>{d.item}</b>: {d.why}
                    </List.Item>
                  ))}
                </List>
                <ScrollArea h={220} type="auto">
                  <Code block aria-label="Domain XML">
                    {w.cloud ? cloudPreviewXml(spec, w.cloud, w.storage) : w.xml}
                  </Code>
                </ScrollArea>
              </Stack>
            </Stepper.Step>
          </Stepper>
        )}
        {spec && step === STEPS.length - 1 && (problems.length > 0 || error) && (
          <Alert color="red" role="alert" title={error ? 'Not created' : 'Not ready yet'}>
            {error ?? problems.join(' · ')}
          </Alert>
        )}
        <Group justify="space-between">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Group>
            <Button variant="default" disabled={step === 0} onClick={() => setStep((s) => s - 1)}>
              Back
            </Button>
            {step < STEPS.length - 1 ? (
              <Button disabled={!spec} onClick={() => setStep((s) => s + 1)}>
                Next
              </Button>
            ) : (
              <Button onClick={() => void create()} loading={busy} disabled={!spec || problems.length > 0}>
                Create
              </Button>
            )}
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
