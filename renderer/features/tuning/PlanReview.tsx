// The plan before it runs: per VM the changes, when they reach it, the risks and the XML diff;
// the options (snapshot first, restart policy, VMs at a time per host) and Apply.
import { Alert, Badge, Button, Checkbox, Code, Group, List, NumberInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { ApplyOptions, PlanItem, PlanTiming, RestartPolicy, TuningPlan } from '../../../shared/tuning';
import { Choice } from '../../ui/Choice';

const TIMING: Record<PlanTiming, { words: string; color: string }> = {
  live: { words: 'applies live', color: 'green' },
  'next-start': { words: 'at next start', color: 'gray' },
  restart: { words: 'needs a restart', color: 'orange' },
};

function PlanRow({ item }: { item: PlanItem }) {
  const [open, setOpen] = useState(false);
  const label = `${item.name} on ${item.hostLabel}`;
  return (
    <li aria-label={`Plan for ${label}`} style={{ borderBottom: '1px solid var(--mantine-color-default-border)', paddingBlock: 4 }}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Button size="compact-xs" variant="subtle" aria-expanded={open} aria-label={`Plan diff of ${label}`} onClick={() => setOpen((v) => !v)}>
          {open ? '▾' : '▸'}
        </Button>
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6}>
            <Text size="sm" fw={600}>
              {label}
            </Text>
            <Badge size="xs" variant="light" color={TIMING[item.timing].color}>
              {TIMING[item.timing].words}
            </Badge>
            {item.snapshotAdvised && (
              <Badge size="xs" variant="outline">
                snapshot advised
              </Badge>
            )}
          </Group>
          <Text size="xs">{item.findings.map((f) => f.title).join(' · ')}</Text>
          {item.risks.length > 0 && (
            <List size="xs" c="dimmed" aria-label={`Risks of ${label}`}>
              {item.risks.map((r, i) => (
                <List.Item key={i}>{r}</List.Item>
              ))}
            </List>
          )}
          {open && (
            <Code block aria-label={`Planned XML diff of ${label}`} style={{ fontSize: 11, maxHeight: 260, overflow: 'auto' }}>
              {item.diff}
            </Code>
          )}
        </Stack>
      </Group>
    </li>
  );
}

export function PlanReview({ plan, busy, onApply, onDiscard }: { plan: TuningPlan; busy: boolean; onApply: (options: ApplyOptions) => void; onDiscard: () => void }) {
  const advised = plan.items.some((i) => i.snapshotAdvised);
  const [snapshotFirst, setSnapshotFirst] = useState(advised);
  const [restart, setRestart] = useState<RestartPolicy>('leave-pending');
  const [perHost, setPerHost] = useState(2);
  const running = plan.items.filter((i) => i.timing === 'restart').length;
  return (
    <Stack gap="xs">
      <Text size="sm" aria-label="Plan summary">
        {plan.items.length} VM{plan.items.length === 1 ? '' : 's'} on {new Set(plan.items.map((i) => i.hostId)).size} host(s): {plan.items.reduce((n, i) => n + i.findings.length, 0)} fixes
        {running ? `, ${running} running VM(s) need a restart` : ''}.
      </Text>
      {plan.dropped.length > 0 && (
        <Alert color="yellow" title="Left out of the plan" p="xs">
          <List size="xs">
            {plan.dropped.map((d) => (
              <List.Item key={`${d.hostId}/${d.name}`}>
                {d.name}: {d.reason}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      <ul aria-label="Plan items" style={{ listStyle: 'none', padding: 0, margin: 0, maxHeight: 360, overflow: 'auto' }}>
        {plan.items.map((i) => (
          <PlanRow key={`${i.hostId}\u0000${i.name}`} item={i} />
        ))}
      </ul>
      <Group gap="md" align="flex-end">
        <Checkbox label="Snapshot first (VMs with disk or controller changes)" checked={snapshotFirst} onChange={(e) => setSnapshotFirst(e.currentTarget.checked)} />
        <Stack gap={2}>
          <Text size="xs">Running VMs</Text>
          <Choice label="Restart policy" value={restart} onChange={setRestart} options={[['leave-pending', 'Leave pending'], ['restart-now', 'Restart now']]} />
        </Stack>
        <NumberInput size="xs" w={150} label="VMs at a time per host" min={1} max={8} value={perHost} onChange={(v) => setPerHost(Math.max(1, Math.min(8, Number(v) || 1)))} />
      </Group>
      <Group gap="xs">
        <Button size="xs" loading={busy} disabled={!plan.items.length} onClick={() => onApply({ snapshotFirst, restart, perHost })}>
          Apply plan
        </Button>
        <Button size="xs" variant="default" onClick={onDiscard}>
          Discard plan
        </Button>
      </Group>
    </Stack>
  );
}
