// The tuning advisor on top of the hardware tab: each finding with its reason and a Fix button,
// and "Apply all" for every finding that is safe to apply without asking.
import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { advise, applyAllEdits } from '../../../../shared/domain-xml/advisor';
import type { DomainEdit, DomainView } from '../../../../shared/domain-xml';

export function AdvisorPanel(p: { view: DomainView; busy: boolean; apply(what: string, edits: DomainEdit[]): Promise<boolean> }) {
  const findings = advise(p.view);
  const all = applyAllEdits(findings);
  return (
    <Paper withBorder p="xs" mb="sm" component="section" aria-label="Tuning advisor">
      <Group justify="space-between" mb={4}>
        <Title order={3} size="h5">
          Tuning advisor
        </Title>
        <Button size="xs" disabled={p.busy || all.length === 0} onClick={() => void p.apply('Apply all tuning', all)}>
          Apply all
        </Button>
      </Group>
      {findings.length === 0 ? (
        <Text size="xs" c="dimmed">
          Nothing to tune: disks, NICs, balloon and video are paravirtualized.
        </Text>
      ) : (
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
                {f.edits.length > 0 && (
                  <Button size="compact-xs" variant="light" aria-label={`Fix: ${f.title}`} disabled={p.busy} onClick={() => void p.apply(`Fix: ${f.title}`, f.edits)}>
                    {f.fixLabel ?? 'Fix'}
                  </Button>
                )}
              </Group>
            </li>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
