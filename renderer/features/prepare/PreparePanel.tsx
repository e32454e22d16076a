// Prepare a host: the guide's checklist with the host's own evidence, the steps that fix what is
// missing with the exact commands each runs (sudo included), Apply one step or all, the live
// output of the running step, and the same steps as an Ansible playbook to download.
import { Alert, Button, Code, Group, ScrollArea, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckState, HostStatus, PrepareChecklist, PrepareResult, PrepareStep } from '../../../shared/contract';
import { api } from '../../app/api';
import { useTasks } from '../../store/tasks';
import { ListTable } from '../../ui/ListTable';
import { Section } from '../../ui/Section';

const STATE: Record<CheckState, { color: string; label: string }> = {
  ok: { color: 'green', label: 'ok' },
  missing: { color: 'orange', label: 'missing' },
  unavailable: { color: 'red', label: 'not available' },
  unknown: { color: 'gray', label: 'unknown' },
  info: { color: 'blue', label: 'info' },
};

function StepCard({ step, busy, onApply }: { step: PrepareStep; busy: boolean; onApply(): void }) {
  return (
    <Stack gap={2} component="li" aria-label={`Step ${step.title}`}>
      <Group gap="xs">
        <Text size="sm" fw={500}>
          {step.title}
        </Text>
        <Button size="compact-xs" variant="default" onClick={onApply} disabled={busy} aria-label={`Apply ${step.title}`}>
          Apply
        </Button>
      </Group>
      {step.commands.map((c, i) => (
        <Code key={i} block fz="xs" aria-label={`Command of ${step.title}`}>
          {c.line}
          {c.stdin ? `  < ${c.stdin}` : ''}
        </Code>
      ))}
    </Stack>
  );
}

/** A host whose SSH works and whose libvirt never answered: a server to prepare, said as such. */
export function PrepareBanner({ host }: { host: HostStatus }) {
  return (
    <Alert color="blue" title={`${host.config.label} is not a hypervisor yet`} role="alert" mb="sm" style={{ flexShrink: 0 }}>
      <Text size="sm">
        SSH works, libvirt does not: {host.libvirt?.message}. "Prepare this host" checks it against the guide and shows each step's commands before anything runs.
      </Text>
    </Alert>
  );
}

function TextBlock({ label, text }: { label: string; text: string }) {
  return (
    <ScrollArea.Autosize mah={220}>
      <Code block fz="xs" aria-label={label}>
        {text}
      </Code>
    </ScrollArea.Autosize>
  );
}

function download(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function resultText(r: PrepareResult): string {
  if (r.error) return r.error;
  if (r.unchanged) return 'Nothing to change: every step was done already.';
  const done = r.steps.filter((s) => s.outcome === 'done').map((s) => s.title);
  return `Done: ${done.join('; ')}.${r.switchedToKey ? ' The connection now logs in with the installed key.' : ''}`;
}

export function PreparePanel({ hostId, label }: { hostId: string; label: string }) {
  const [list, setList] = useState<PrepareChecklist>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PrepareResult>();
  const [output, setOutput] = useState('');
  const [playbook, setPlaybook] = useState<string>();
  const taskRef = useRef<number | undefined>(undefined);
  /** The running step's output so far: the task shows its last whole line. */
  const partial = useRef('');

  const load = useCallback(async () => {
    setError(undefined);
    const r = await api.call('prepare.check', { hostId });
    if (r.ok) setList(r.value);
    else setError(r.error.message);
  }, [hostId]);
  useEffect(() => void load(), [load]);

  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type !== 'prepare.output' || e.hostId !== hostId) return;
        setOutput((o) => (o + e.text).slice(-20_000));
        partial.current = (partial.current + e.text).slice(-4000);
        const last = partial.current.split('\n').slice(0, -1).map((l) => l.trim()).filter(Boolean).at(-1);
        if (last && taskRef.current) useTasks.getState().update(taskRef.current, { title: `Prepare ${label} (${e.step}): ${last.slice(0, 120)}` });
      }),
    [hostId, label],
  );

  const apply = async (steps?: string[], what = 'all steps') => {
    setBusy(true);
    setOutput('');
    setResult(undefined);
    const id = (taskRef.current = useTasks.getState().begin(`Prepare ${label}: ${what}`));
    const r = await api.call('prepare.apply', { hostId, ...(steps ? { steps } : {}) });
    const failed = r.ok ? r.value.error : r.error.message;
    useTasks.getState().finish(id, failed, { commands: r.commands });
    taskRef.current = undefined;
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setResult(r.value);
    setList(r.value.checklist);
  };

  const exportPlaybook = async () => {
    const r = await api.call('prepare.playbook', { hostId });
    if (!r.ok) return setError(r.error.message);
    setPlaybook(r.value.yaml);
    download(r.value.fileName, r.value.yaml);
  };

  return (
    <Section title={`Prepare ${label}`}>
      {error && (
        <Alert color="red" role="alert" mb="xs" title="Prepare">
          {error}
        </Alert>
      )}
      {!list && !error && <Text size="sm">Reading {label}…</Text>}
      {list && (
        <Stack gap="sm">
          <Text size="sm">
            {list.os}, user {list.user} ({list.sudo === 'root' ? 'root' : list.sudo === 'password' ? 'sudo with password' : list.sudo === 'nopasswd' ? 'sudo without password' : 'no sudo'}), services: {list.init === 'sysv' ? 'init scripts' : list.init}
            {list.hypervisor ? ' — libvirt answers: a hypervisor' : ' — not a hypervisor yet'}
          </Text>
          <ListTable
            label={`Checklist of ${label}`}
            columns={['Check', 'State', 'Evidence']}
            rows={list.checks.map((c) => ({
              key: c.id,
              label: c.title,
              cells: [
                c.title,
                <Text key="s" size="xs" fw={700} c={`${STATE[c.state].color}.8`} style={{ whiteSpace: 'nowrap' }}>
                  {STATE[c.state].label}
                </Text>,
                <Text key="e" size="xs">
                  {c.evidence}
                </Text>,
              ],
            }))}
          />
          {result && (
            <Alert color={result.error ? 'red' : 'green'} role="status" title={result.error ? 'A step failed' : result.unchanged ? 'Already prepared' : 'Prepared'}>
              <Text size="sm">{resultText(result)}</Text>
              <Text size="xs" mt={4}>
                {result.steps.map((s) => `${s.title}: ${s.outcome}`).join(' · ')}
              </Text>
            </Alert>
          )}
          {list.steps.length ? (
            <>
              <Group gap="xs">
                <Button size="xs" onClick={() => void apply()} loading={busy} aria-label={`Apply all steps on ${label}`}>
                  Apply all
                </Button>
                <Text size="xs" c="dimmed">
                  {list.steps.length} step{list.steps.length === 1 ? '' : 's'}; nothing else is installed or changed.
                </Text>
              </Group>
              <Stack gap="xs" component="ol" aria-label={`Steps for ${label}`} style={{ paddingLeft: 0, listStyle: 'none' }}>
                {list.steps.map((s) => (
                  <StepCard key={s.id} step={s} busy={busy} onApply={() => void apply([s.id], s.title)} />
                ))}
              </Stack>
            </>
          ) : (
            <Group gap="xs">
              <Text size="sm">Nothing to do: {label} passes every check it can fix.</Text>
              <Button size="compact-xs" variant="default" onClick={() => void apply()} loading={busy} aria-label={`Prepare ${label} again`}>
                Prepare again
              </Button>
            </Group>
          )}
          {output && <TextBlock label={`Output of Prepare ${label}`} text={output} />}
          <Group gap="xs">
            <Button size="compact-xs" variant="default" onClick={() => void load()} disabled={busy}>
              Check again
            </Button>
            <Button size="compact-xs" variant="default" onClick={() => void exportPlaybook()} disabled={busy}>
              Export Ansible playbook
            </Button>
          </Group>
          {playbook && <TextBlock label={`Ansible playbook for ${label}`} text={playbook} />}
        </Stack>
      )}
    </Section>
  );
}
