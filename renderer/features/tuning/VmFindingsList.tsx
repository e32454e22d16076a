// Every VM the filters show with its findings, each one a pick; a row opens to the XML diff of
// what is picked in it (or, with nothing picked, of all its bulk-safe fixes).
import { Badge, Button, Checkbox, Code, Group, Stack, Text } from '@mantine/core';
import { memo, useState } from 'react';
import { planVm, type VmFindings } from '../../../shared/tuning';
import { pickKey } from './model';
import { VmName } from './VmName';
import { OnOffBadge } from '../../ui/StateBadge';

function DiffOf({ vm, picked }: { vm: VmFindings; picked: string[] }) {
  const ids = picked.length ? picked : vm.findings.filter((f) => f.inBulk).map((f) => f.id);
  const item = planVm(vm, ids);
  return typeof item === 'string' ? (
    <Text size="xs" c="dimmed">
      {item}
    </Text>
  ) : (
    <Code block aria-label={`XML diff of ${vm.name} on ${vm.hostLabel}`} style={{ fontSize: 11, maxHeight: 260, overflow: 'auto' }}>
      {item.diff}
    </Code>
  );
}

const VmFindingsRow = memo(function VmFindingsRow({ vm, picks, onToggle }: { vm: VmFindings; picks: ReadonlySet<string>; onToggle: (key: string, on: boolean) => void }) {
  const [open, setOpen] = useState(false);
  const label = `${vm.name} on ${vm.hostLabel}`;
  const picked = vm.findings.filter((f) => picks.has(pickKey(vm.hostId, vm.name, f.id))).map((f) => f.id);
  return (
    <li aria-label={label} style={{ borderBottom: '1px solid var(--mantine-color-default-border)', paddingBlock: 4 }}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Button size="compact-xs" variant="subtle" aria-expanded={open} aria-label={`Diff of ${label}`} onClick={() => setOpen((v) => !v)}>
          {open ? '▾' : '▸'}
        </Button>
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6}>
            <VmName name={vm.name} host={vm.hostLabel} />
            <OnOffBadge on={vm.running} words={['running', 'off']} />
            {vm.windows && (
              <Badge size="xs" variant="light" color="orange">
                Windows
              </Badge>
            )}
          </Group>
          <Group gap="md">
            {vm.findings.map((f) => {
              const key = pickKey(vm.hostId, vm.name, f.id);
              return (
                <Checkbox
                  key={f.id}
                  size="xs"
                  disabled={!f.edits.length}
                  label={f.title}
                  title={f.reason}
                  aria-label={`Pick ${f.title} (${label})`}
                  checked={picks.has(key)}
                  color={f.severity === 'warn' ? 'orange' : undefined}
                  onChange={(e) => onToggle(key, e.currentTarget.checked)}
                />
              );
            })}
          </Group>
          {open && <DiffOf vm={vm} picked={picked} />}
        </Stack>
      </Group>
    </li>
  );
});

export function VmFindingsList({ vms, picks, onToggle }: { vms: readonly VmFindings[]; picks: ReadonlySet<string>; onToggle: (key: string, on: boolean) => void }) {
  return (
    <ul aria-label="VMs with findings" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {vms.map((vm) => (
        <VmFindingsRow key={`${vm.hostId}\u0000${vm.name}`} vm={vm} picks={picks} onToggle={onToggle} />
      ))}
    </ul>
  );
}
