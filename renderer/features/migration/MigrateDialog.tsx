// Migrate a VM: pick the destination, see the pre-flight (what blocks, what warns, what passed)
// before anything happens, then follow the move's bar with Cancel.
import { Alert, Badge, Button, Checkbox, Group, List, Loader, Modal, NumberInput, Progress, Select, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { VmSummary } from '../../../shared/contract';
import type { MoveMode, MovePlan } from '../../../shared/migration';
import { formatBytes } from '../../../shared/transfers';
import { api } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { useMigrations } from '../../store/migrations';
import { Choice } from '../../ui/Choice';
import { formatRate } from '../../ui/format';
import { startMove } from './migration-tasks';

const LEVEL = { block: ['red', 'Blocks'], warn: ['yellow', 'Warning'], ok: ['green', 'OK'] } as const;

function Findings({ plan }: { plan: MovePlan }) {
  return (
    <List size="sm" spacing={4} listStyleType="none" aria-label="Pre-flight findings">
      {plan.findings.map((f) => (
        <List.Item key={f.id} aria-label={`${LEVEL[f.level][1]}: ${f.text}`}>
          <Group gap={6} wrap="nowrap" align="flex-start">
            <Badge size="xs" color={LEVEL[f.level][0]} variant="light" miw={64}>
              {LEVEL[f.level][1]}
            </Badge>
            <Text size="sm">{f.text}</Text>
          </Group>
        </List.Item>
      ))}
    </List>
  );
}

function MoveProgress({ migrationId, onClose }: { migrationId: string; onClose: () => void }) {
  const m = useMigrations((s) => s.byId[migrationId]);
  const p = m?.progress;
  const running = !m || m.state === 'running';
  return (
    <Stack gap="xs">
      <Text size="sm" aria-label="Migration phase">
        {m?.phase ?? 'Starting'}
      </Text>
      <Progress value={p?.percent ?? 0} animated={running} aria-label="Migration progress" />
      {p && (
        <Text size="xs" c="dimmed" aria-label="Migration figures">
          {p.percent.toFixed(0)} % · {formatBytes(p.memoryRemaining)} memory and {formatBytes(p.diskRemaining)} disk left · {formatRate(p.rateBps)}
          {p.downtimeMs !== null ? ` · downtime ≈ ${p.downtimeMs} ms` : ''}
        </Text>
      )}
      {m?.state === 'failed' && <Alert color="red" title="The move failed">{m.error}</Alert>}
      {m?.state === 'cancelled' && <Alert color="gray">{m.phase}</Alert>}
      {m?.state === 'done' && <Alert color="green">{m.phase}</Alert>}
      <Group justify="flex-end">
        {running ? (
          <Button color="red" variant="light" onClick={() => void api.call('migration.cancel', { migrationId })}>
            Cancel migration
          </Button>
        ) : (
          <Button onClick={onClose}>Close</Button>
        )}
      </Group>
    </Stack>
  );
}

export function MigrateDialog({ vm, hostLabel, opened, onClose, initialTo }: { vm: VmSummary; hostLabel: string; opened: boolean; onClose: () => void; initialTo?: string }) {
  const hosts = useFleet((s) => s.hosts);
  const targets = Object.values(hosts).filter((h) => h.config.id !== vm.hostId && h.state === 'online');
  const [to, setTo] = useState<string | null>(initialTo ?? null);
  const [mode, setMode] = useState<MoveMode>(vm.state === 'running' || vm.state === 'paused' ? 'live' : 'cold');
  const [plan, setPlan] = useState<MovePlan>();
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string>();
  const [autoConverge, setAutoConverge] = useState(false);
  const [compressed, setCompressed] = useState(false);
  const [bandwidth, setBandwidth] = useState<number | string>('');
  const [startAfter, setStartAfter] = useState(true);
  const [keepSource, setKeepSource] = useState(false);
  const [migrationId, setMigrationId] = useState<string>();

  useEffect(() => {
    setPlan(undefined);
    setError(undefined);
    if (!opened || !to) return;
    let current = true;
    setChecking(true);
    void api.call('migration.preflight', { hostId: vm.hostId, name: vm.name, toHostId: to, mode }).then((o) => {
      if (!current) return;
      setChecking(false);
      if (o.ok) setPlan(o.value);
      else setError(o.error.message);
    });
    return () => {
      current = false;
    };
  }, [opened, to, mode, vm.hostId, vm.name]);

  const close = () => {
    setMigrationId(undefined);
    setTo(null);
    onClose();
  };
  const toLabel = to ? (hosts[to]?.config.label ?? to) : '';
  const go = async () => {
    if (!to) return;
    const started = await startMove({ hostId: vm.hostId, name: vm.name, toHostId: to, mode, ...(mode === 'live' ? { autoConverge, compressed, ...(typeof bandwidth === 'number' && bandwidth > 0 ? { bandwidthMiBs: bandwidth } : {}) } : { startAfter, keepSource }) }, `Migrate ${vm.name}: ${hostLabel} → ${toLabel} (${mode})`);
    if (started.migrationId) setMigrationId(started.migrationId);
    else setError(started.error);
  };

  return (
    <Modal opened={opened} onClose={close} title={`Migrate ${vm.name} from ${hostLabel}`} size="lg">
      {migrationId ? (
        <MoveProgress migrationId={migrationId} onClose={close} />
      ) : (
        <Stack gap="sm">
          <Group align="flex-end">
            <Select label="Destination host" placeholder="Pick a host" data={targets.map((h) => ({ value: h.config.id, label: h.config.label }))} value={to} onChange={setTo} w={220} />
            <Choice
              label="How to move"
              value={mode}
              onChange={setMode}
              options={[
                ['live', 'Live'],
                ['cold', 'Cold (VirtDeck copies the disks)'],
              ]}
            />
          </Group>
          {mode === 'live' && (
            <Group>
              <Checkbox label="Auto-converge (slow the guest down if memory changes faster than it is sent)" checked={autoConverge} onChange={(e) => setAutoConverge(e.currentTarget.checked)} />
              <Checkbox label="Compress memory pages" checked={compressed} onChange={(e) => setCompressed(e.currentTarget.checked)} />
              <NumberInput label="Bandwidth limit (MiB/s)" placeholder="none" min={1} allowDecimal={false} value={bandwidth} onChange={setBandwidth} w={180} />
            </Group>
          )}
          {mode === 'cold' && (
            <Group>
              <Checkbox label="Start it on the destination" checked={startAfter} onChange={(e) => setStartAfter(e.currentTarget.checked)} />
              <Checkbox label="Keep it on the source too (copy, do not move)" checked={keepSource} onChange={(e) => setKeepSource(e.currentTarget.checked)} />
            </Group>
          )}
          {checking && (
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="sm">Checking {toLabel}…</Text>
            </Group>
          )}
          {error && <Alert color="red">{error}</Alert>}
          {plan && <Findings plan={plan} />}
          {plan?.coldAdvised && <Alert color="blue">A live migration is not possible between these hosts; a cold move (shut the VM down, VirtDeck copies its disks) is.</Alert>}
          {plan && (
            <Text size="sm" c="dimmed">
              {plan.copyStorage ? `Disks copied: ${plan.disks.filter((d) => d.storage === 'copy').map((d) => d.target).join(', ')}.` : 'No disk needs copying.'}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Close
            </Button>
            <Button disabled={!plan || plan.blocked} onClick={() => void go()}>
              {plan?.blocked ? 'Blocked' : 'Migrate'}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
