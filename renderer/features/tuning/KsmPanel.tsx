// KSM on the host page: the figures of /sys/kernel/mm/ksm as the host shows them, turning it on
// or off and its scan rate, where the connection may write them (root or a sudo rule); where it
// may not, the panel says why.
import { Alert, Button, Group, NumberInput, Switch, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { KsmChange, KsmState } from '../../../shared/contract';
import { api } from '../../app/api';
import { useTasks } from '../../store/tasks';
import { FactTable } from '../../ui/FactTable';
import { formatKiB } from '../../ui/format';

const fig = (n: number | null) => (n === null ? undefined : String(n));

export function KsmPanel({ hostId, hostLabel }: { hostId: string; hostLabel: string }) {
  const [ksm, setKsm] = useState<KsmState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pages, setPages] = useState<number | string>('');
  const [sleep, setSleep] = useState<number | string>('');
  const [busy, setBusy] = useState(false);
  const show = (s: KsmState) => {
    setKsm(s);
    setPages(s.pagesToScan ?? '');
    setSleep(s.sleepMillisecs ?? '');
  };
  const read = useCallback(async () => {
    const o = await api.call('host.ksm', { hostId });
    if (o.ok) show(o.value);
    setError(o.ok ? null : o.error.message);
  }, [hostId]);
  useEffect(() => {
    void read();
  }, [read]);

  const change = async (title: string, c: KsmChange) => {
    setBusy(true);
    const tasks = useTasks.getState();
    const id = tasks.begin(`${title} on ${hostLabel}`);
    const o = await api.call('host.setKsm', { hostId, change: c });
    tasks.finish(id, o.ok ? undefined : o.error.message, { commands: o.commands });
    setBusy(false);
    if (o.ok) show(o.value);
    setError(o.ok ? null : o.error.message);
  };

  if (!ksm) return error ? <Alert color="red" p="xs">{error}</Alert> : <Text size="sm">Reading KSM…</Text>;
  if (!ksm.available) return <Text size="sm">This kernel has no KSM (kernel same-page merging).</Text>;
  const on = ksm.run === 1;
  return (
    <>
      <Text size="sm" mb={4}>
        {on ? `KSM is on: ${ksm.pagesSharing ?? 0} pages shared, saving ${formatKiB(ksm.savedKiB ?? 0)}.` : `KSM is off: identical guest pages are not merged${ksm.pagesSharing ? ` (${ksm.pagesSharing} pages still shared)` : ''}.`}
      </Text>
      <FactTable
        size="sm"
        label="KSM figures"
        rows={[
          ['run', fig(ksm.run)],
          ['pages_shared', fig(ksm.pagesShared)],
          ['pages_sharing', fig(ksm.pagesSharing)],
          ['pages_unshared', fig(ksm.pagesUnshared)],
          ['pages_volatile', fig(ksm.pagesVolatile)],
          ['full_scans', fig(ksm.fullScans)],
          ['pages_to_scan', fig(ksm.pagesToScan)],
          ['sleep_millisecs', fig(ksm.sleepMillisecs)],
          ['Memory saved', ksm.savedKiB === null ? undefined : formatKiB(ksm.savedKiB)],
        ]}
      />
      <Group gap="xs" mt={6} align="flex-end">
        <Switch label="KSM on" checked={on} disabled={!ksm.canWrite || busy} onChange={(e) => void change(e.currentTarget.checked ? 'Turn KSM on' : 'Turn KSM off', { run: e.currentTarget.checked ? 1 : 0 })} />
        <NumberInput size="xs" w={120} label="pages_to_scan" min={1} max={100000} value={pages} onChange={setPages} disabled={!ksm.canWrite} />
        <NumberInput size="xs" w={120} label="sleep_millisecs" min={1} max={60000} value={sleep} onChange={setSleep} disabled={!ksm.canWrite} />
        <Button size="xs" variant="default" disabled={!ksm.canWrite || busy} onClick={() => void change('Set KSM scan rate', { pagesToScan: Number(pages), sleepMillisecs: Number(sleep) })}>
          Set scan rate
        </Button>
        <Button size="xs" variant="subtle" onClick={() => void read()}>
          Read again
        </Button>
      </Group>
      {!ksm.canWrite && ksm.writeRefusal && (
        <Alert color="yellow" p="xs" mt={6} title="KSM cannot be changed from here">
          {ksm.writeRefusal}
        </Alert>
      )}
      {ksm.tuner && (
        <Text size="xs" c="dimmed" mt={4}>
          {ksm.tuner}
        </Text>
      )}
      <Text size="xs" c="dimmed" mt={4}>
        Written to /sys/kernel/mm/ksm: lasts until the host restarts.
      </Text>
      {error && (
        <Alert color="red" p="xs" mt={6}>
          {error}
        </Alert>
      )}
    </>
  );
}
