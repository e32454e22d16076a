// The tuning advisor on top of the hardware tab: each finding with its reason and a Fix button,
// and "Apply all" for every finding that is safe to apply without asking.
import { Badge, Button, Group, NativeSelect, Paper, ScrollArea, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import type { HardwareFacts } from '../../../../shared/contract';
import type { DomainView, GuestDriverProof } from '../../../../shared/domain-xml';
// The advisor is not (yet) part of domain-xml's index.
import { advise, applyAllEdits, type Finding } from '../../../../shared/domain-xml';
import { SnapshotFirstCheckbox, useSnapshotFirst } from '../../snapshots/SnapshotFirst';
import { useLayout } from '../../../store/layout';
import type { ApplyWithVolumes as Apply } from './useDomain';

export function AdvisorPanel(p: { view: DomainView; facts: HardwareFacts | null; guestDrivers?: GuestDriverProof; busy: boolean; apply: Apply }) {
  const host = p.facts ? { kvm: p.facts.kvm, numaCells: p.facts.numaCells, volumes: p.facts.volumes, blockDevices: p.facts.blockDevices } : {};
  const findings = advise(p.view, { ...host, guestDrivers: p.guestDrivers });
  const all = applyAllEdits(findings);
  const [snapshotFirst, setSnapshotFirst] = useSnapshotFirst(all);
  // Folded, it is one line: how many findings and Apply all (remembered across VMs and restarts).
  const open = useLayout((s) => s.advisorOpen);
  const setOpen = useLayout((s) => s.setAdvisorOpen);
  const summary = findings.length === 0 ? 'nothing to tune' : `${findings.length} finding${findings.length === 1 ? '' : 's'}${all.length ? `, ${all.length} safe to apply at once` : ''}`;
  return (
    <Paper withBorder p="xs" mb="sm" component="section" aria-label="Tuning advisor">
      <Group justify="space-between" mb={open ? 4 : 0} wrap="nowrap">
        <UnstyledButton aria-expanded={open} aria-label={`${open ? 'Fold' : 'Unfold'} the tuning advisor`} onClick={() => setOpen(!open)}>
          <Group gap={6} wrap="nowrap">
            <Text span size="sm" aria-hidden>
              {open ? '▾' : '▸'}
            </Text>
            <Title order={3} size="h5">
              Tuning advisor
            </Title>
            <Text span size="xs" c="dimmed">
              {summary}
            </Text>
          </Group>
        </UnstyledButton>
        <Group gap="xs" wrap="nowrap">
          {all.length > 0 && <SnapshotFirstCheckbox checked={snapshotFirst} onChange={setSnapshotFirst} disabled={p.busy} />}
          <Button size="xs" disabled={p.busy || all.length === 0} onClick={() => void p.apply('Apply all tuning', all, undefined, { snapshotFirst })}>
            Apply all
          </Button>
        </Group>
      </Group>
      {!open ? null : findings.length === 0 ? (
        <Text size="xs" c="dimmed">
          Nothing to tune: disks, NICs, balloon and video are paravirtualized.
        </Text>
      ) : (
        // At most a third of the window: the device editor below stays in view.
        <ScrollArea.Autosize mah="33vh" type="auto">
        <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Findings">
          {findings.map((f) => (
            <li key={f.id} aria-label={f.title}>
              <Group gap="xs" wrap="nowrap" align="start">
                <Badge size="xs" color={f.severity === 'warn' ? 'orange' : 'blue'} variant="light" mt={2} miw={44}>
                  {f.severity === 'warn' ? 'warn' : 'tune'}
                </Badge>
                <div style={{ flex: 1 }}>
                  <Text size="xs" fw={600}>
                    {f.title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {f.reason}
                  </Text>
                </div>
                <FixButton finding={f} busy={p.busy} apply={p.apply} />
              </Group>
            </li>
          ))}
        </Stack>
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}

/** The fix of one finding; with a choice (e.g. which driver ISO), a select next to it. */
function FixButton({ finding: f, busy, apply }: { finding: Finding; busy: boolean; apply: Apply }) {
  // The finding is recomputed as the host changes (an ISO added to a pool): a pick that is no
  // longer offered, or none yet, falls back to the finding's own first choice.
  const [picked, setOption] = useState<string>();
  const option = picked !== undefined && f.choice?.options.includes(picked) ? picked : (f.choice?.initial ?? '');
  const fix = f.choice ? f.choice.fix(option) : { edits: f.edits, newVolumes: f.newVolumes ?? [] };
  if (fix.edits.length === 0) return null;
  return (
    <Group gap={4} wrap="nowrap">
      {f.choice && (
        <NativeSelect size="xs" aria-label={`${f.choice.label} for: ${f.title}`} data={f.choice.options} value={option} onChange={(e) => setOption(e.currentTarget.value)} />
      )}
      <Button size="compact-xs" variant="light" aria-label={`Fix: ${f.title}`} disabled={busy} onClick={() => void apply(`Fix: ${f.title}`, fix.edits, fix.newVolumes)}>
        {f.fixLabel ?? 'Fix'}
      </Button>
    </Group>
  );
}
