// Fleet-wide tuning: the advisor's findings for every VM of every connected host, counted by kind
// and host; filters; picks (all of a kind, of a kind on a host, one by one) → a reviewed plan →
// one run with a step per VM, Cancel, Undo, and its report to save.
import { Alert, Anchor, Button, Group, SegmentedControl, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { groupFindings, pickKind, picksOf, scanSummary, type ApplyOptions, type RestartPolicy, type TuningPlan, type TuningScan } from '../../../shared/tuning';
import { api } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';
import { useTuning } from '../../store/tuning';
import { Section } from '../../ui/Section';
import { FindingGroups } from './FindingGroups';
import { NO_FILTER, parsePick, pickKey, visibleVms, type TuningFilter } from './model';
import { PlanReview } from './PlanReview';
import { RunPanel } from './RunPanel';
import { followRun } from './run-tasks';
import { VmFindingsList } from './VmFindingsList';

function useScan() {
  const [scan, setScan] = useState<TuningScan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const rescan = useCallback(async () => {
    setScanning(true);
    const o = await api.call('tuning.scan', {});
    setScanning(false);
    if (!o.ok) return setError(o.error.message);
    setError(null);
    setScan(o.value);
    useTuning.getState().setScan(o.value);
  }, []);
  return { scan, error, scanning, rescan };
}

function Filters({ filter, setFilter, hosts, kinds }: { filter: TuningFilter; setFilter: (f: TuningFilter) => void; hosts: { value: string; label: string }[]; kinds: { value: string; label: string }[] }) {
  return (
    <Group gap="xs" align="flex-end" role="group" aria-label="Filters">
      <Select size="xs" w={140} label="Host" aria-label="Host filter" data={[{ value: '', label: 'All hosts' }, ...hosts]} value={filter.hostId ?? ''} onChange={(v) => setFilter({ ...filter, hostId: v || null })} allowDeselect={false} />
      <Select size="xs" w={260} label="Finding" aria-label="Finding filter" data={[{ value: '', label: 'All findings' }, ...kinds]} value={filter.kind ?? ''} onChange={(v) => setFilter({ ...filter, kind: v || null })} allowDeselect={false} />
      <SegmentedControl size="xs" aria-label="State filter" value={filter.state} onChange={(v) => setFilter({ ...filter, state: v as TuningFilter['state'] })} data={[{ value: 'all', label: 'All' }, { value: 'running', label: 'Running' }, { value: 'off', label: 'Off' }]} />
      <SegmentedControl size="xs" aria-label="OS filter" value={filter.os} onChange={(v) => setFilter({ ...filter, os: v as TuningFilter['os'] })} data={[{ value: 'all', label: 'Any OS' }, { value: 'windows', label: 'Windows' }, { value: 'other', label: 'Not Windows' }]} />
      <TextInput size="xs" w={180} label="Name" aria-label="Filter VMs by name" placeholder="VM or host" value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.currentTarget.value })} />
    </Group>
  );
}

export function TuningPage() {
  const { scan, error, scanning, rescan } = useScan();
  const go = useNavigation((s) => s.go);
  const hostsOnline = useFleet((s) => Object.values(s.hosts).filter((h) => h.state === 'online').map((h) => h.config.id).sort().join());
  const [filter, setFilter] = useState<TuningFilter>(NO_FILTER);
  const [picks, setPicks] = useState<Set<string>>(new Set());
  const [plan, setPlan] = useState<TuningPlan | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const run = useTuning((s) => (runId ? s.runs[runId] : undefined));
  const runEnded = run && run.state !== 'running' && run.state !== 'cancelling';

  useEffect(() => {
    void rescan();
  }, [hostsOnline, rescan]);
  // What a run changed shows in the findings (and the fleet's Tuning column) once it ends.
  useEffect(() => {
    if (runEnded) void rescan();
  }, [runEnded, rescan]);

  const vms = useMemo(() => (scan ? visibleVms(scan.vms, filter) : []), [scan, filter]);
  const groups = useMemo(() => groupFindings(vms), [vms]);
  const hosts = useMemo(() => {
    const seen = new Map<string, string>();
    for (const v of scan?.vms ?? []) seen.set(v.hostId, v.hostLabel);
    return [...seen].map(([id, label]) => ({ id, label }));
  }, [scan]);
  const allGroups = useMemo(() => (scan ? groupFindings(scan.vms) : []), [scan]);

  const toggle = useCallback((key: string, on: boolean) => setPicks((s) => {
    const next = new Set(s);
    if (on) next.add(key);
    else next.delete(key);
    return next;
  }), []);
  const pickAll = (kind: string, hostId?: string) => setPicks((s) => new Set([...s, ...pickKind(vms, kind, hostId).map((p) => pickKey(p.hostId, p.name, p.findingId))]));
  const pickedVms = new Set([...picks].map((k) => JSON.stringify(JSON.parse(k).slice(0, 2)))).size;

  const review = async () => {
    setBusy(true);
    const o = await api.call('tuning.plan', { picks: picksOf([...picks].map(parsePick)) });
    setBusy(false);
    setPlanError(o.ok ? null : o.error.message);
    if (o.ok) setPlan(o.value);
  };
  const apply = async (options: ApplyOptions) => {
    if (!plan) return;
    setBusy(true);
    const title = `Tuning plan: ${plan.items.length} VM${plan.items.length === 1 ? '' : 's'}`;
    const items = plan.items.map((i) => ({ hostId: i.hostId, name: i.name, baseXml: i.baseXml, edits: i.edits, newVolumes: i.newVolumes, snapshot: i.snapshotAdvised, changes: i.findings.map((f) => f.title) }));
    const o = await api.call('tuning.apply', { title, items, options });
    setBusy(false);
    if (!o.ok) return setPlanError(o.error.message);
    followRun(o.value.runId, title);
    setRunId(o.value.runId);
    setPlan(null);
    setPicks(new Set());
  };
  const undo = async (restart: RestartPolicy) => {
    if (!run) return;
    const o = await api.call('tuning.undo', { runId: run.runId, restart });
    if (!o.ok) return setPlanError(o.error.message);
    followRun(o.value.runId, `Undo ${run.title}`);
    setRunId(o.value.runId);
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Group gap="xs">
          <Anchor component="button" size="sm" onClick={() => go({ kind: 'fleet' })}>
            All VMs
          </Anchor>
          <Text size="sm" c="dimmed">
            /
          </Text>
          <Title order={2} size="h4">
            Tuning
          </Title>
        </Group>
        <Button size="xs" variant="default" loading={scanning} onClick={() => void rescan()}>
          Scan again
        </Button>
      </Group>
      {error && <Alert color="red" title="The scan failed">{error}</Alert>}
      {scan && (
        <Text size="sm" aria-label="Tuning summary">
          {scanSummary(scan.vms, allGroups)}
        </Text>
      )}
      {scan?.hostErrors.map((e) => (
        <Alert key={e.hostId} color="yellow" p="xs" title={`${e.hostLabel} was not read`}>
          {e.error}
        </Alert>
      ))}
      {!scan && !error && <Text size="sm">Reading every VM of the connected hosts…</Text>}
      {/* Above the findings: they shrink as the run fixes VMs, and the run's Cancel must not move. */}
      {scan && run && (
        <Section title="Tuning run">
          <RunPanel run={run} onCancel={() => void api.call('tuning.cancel', { runId: run.runId })} onUndo={(r) => void undo(r)} />
        </Section>
      )}
      {scan && (
        <>
          <Filters filter={filter} setFilter={setFilter} hosts={hosts.map((h) => ({ value: h.id, label: h.label }))} kinds={allGroups.map((g) => ({ value: g.kind, label: g.label }))} />
          <Section title="Findings">
            <FindingGroups groups={groups} hosts={hosts} onPickKind={pickAll} bulkCount={(kind, hostId) => pickKind(vms, kind, hostId).length} />
          </Section>
          {planError && <Alert color="red" title="Not done">{planError}</Alert>}
          {plan && (
            <Section title="Plan">
              <PlanReview plan={plan} busy={busy} onApply={(o) => void apply(o)} onDiscard={() => setPlan(null)} />
            </Section>
          )}
          <Section title="VMs">
            <Group gap="xs" mb={4}>
              <Text size="xs" aria-label="Picked">
                {picks.size} fix{picks.size === 1 ? '' : 'es'} picked on {pickedVms} VM{pickedVms === 1 ? '' : 's'}
              </Text>
              <Button size="compact-xs" variant="default" disabled={!picks.size} onClick={() => setPicks(new Set())}>
                Clear picks
              </Button>
              <Button size="compact-xs" disabled={!picks.size} loading={busy && !plan} onClick={() => void review()}>
                Review plan
              </Button>
            </Group>
            <VmFindingsList vms={vms} picks={picks} onToggle={toggle} />
          </Section>
        </>
      )}
    </Stack>
  );
}
