// "Evacuate": every running VM of a host to the others, live, asked first (each VM can be left
// out there: one pinned to its host's hardware, one another admin tends); where each goes and
// what stays (with the reason) is the task's result, each move a task of its own meanwhile.
import { Button, Checkbox, List, Modal, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { api } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { useTasks } from '../../store/tasks';
import { ConfirmButtons } from '../../ui/ConfirmButtons';

export function EvacuateButton({ hostId, label, disabled }: { hostId: string; label: string; disabled: boolean }) {
  const [asking, setAsking] = useState(false);
  /** The running VMs the admin left out of this evacuation. */
  const [kept, setKept] = useState<ReadonlySet<string>>(new Set());
  // Select the store's own array and filter here: a selector returning a new array on every call
  // makes React re-render without end (error #185).
  const vms = useFleet((s) => s.vmsByHost[hostId]);
  const running = useMemo(() => (vms ?? []).filter((v) => (v.driver ?? 'qemu') === 'qemu' && v.state === 'running'), [vms]);
  const hosts = useFleet((s) => s.hosts);
  const chosen = running.filter((v) => !kept.has(v.name)).map((v) => v.name);
  const go = async () => {
    setAsking(false);
    const tasks = useTasks.getState();
    const task = tasks.begin(`Evacuate ${label}`);
    // All of them, or only those left checked: a VM that started meanwhile is not moved unasked.
    const o = await api.call('migration.evacuate', { hostId, vms: chosen });
    if (!o.ok) return tasks.finish(task, o.error.message);
    const where = o.value.placed.map((p) => `${p.vm} → ${hosts[p.toHostId]?.config.label ?? p.toHostId}`);
    const stays = o.value.left.map((l) => `${l.vm} stays: ${l.reason}`);
    tasks.finish(task, stays.length && !where.length ? stays.join('; ') : undefined, { detail: [...where, ...stays].join('; ') || 'No running VM' });
  };
  return (
    <>
      <Button
        size="compact-xs"
        variant="default"
        disabled={disabled || running.length === 0}
        onClick={() => {
          setKept(new Set());
          setAsking(true);
        }}
      >
        Evacuate…
      </Button>
      <Modal opened={asking} onClose={() => setAsking(false)} title={`Evacuate ${label}?`}>
        <Stack gap="sm">
          <Text size="sm">Each checked VM migrates live to the other connected host with the most free memory whose pre-flight passes, two at a time. A VM no host can take stays, with the reason; uncheck those that should stay.</Text>
          <List size="sm" aria-label="VMs to move">
            {running.map((v) => (
              <List.Item key={v.name} icon={<span />}>
                <Checkbox
                  label={v.name}
                  checked={!kept.has(v.name)}
                  onChange={(e) => {
                    const move = e.currentTarget.checked;
                    setKept((k) => {
                      const next = new Set(k);
                      if (move) next.delete(v.name);
                      else next.add(v.name);
                      return next;
                    });
                  }}
                />
              </List.Item>
            ))}
          </List>
          {chosen.length < running.length && (
            <Text size="sm" aria-live="polite">
              {chosen.length} of {running.length} will move; the others stay on {label}.
            </Text>
          )}
          <ConfirmButtons label="Evacuate" onCancel={() => setAsking(false)} onConfirm={() => void go()} disabled={chosen.length === 0} autoFocus />
        </Stack>
      </Modal>
    </>
  );
}
