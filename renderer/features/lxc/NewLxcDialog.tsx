// Creating a container with the LXC tools on a connected host: lxc-create from the host's busybox
// template, a name (checked here and again by the backend: no "/", not one the host has), a memory
// limit, one NIC on a host bridge or none, autostart. A task; the container is listed once made.
import { Button, Checkbox, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { LxcHostStatus } from '../../../shared/contract';
import { lxcNameProblem, parseMemoryMiB } from '../../../shared/lxc/input';
import { api, runTask } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { isLxcTools } from '../../store/vm-ref';
import { DialogButtons } from '../../ui/DialogButtons';

export function NewLxcButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="compact-sm" variant="default" onClick={() => setOpen(true)}>
        New LXC container
      </Button>
      {open && <NewLxcDialog onClose={() => setOpen(false)} />}
    </>
  );
}

/** The LXC status of each online host, as the dialog opens. */
function useLxcHosts(): Record<string, LxcHostStatus | string> {
  const hosts = useFleet((s) => s.hosts);
  const online = useMemo(() => Object.values(hosts).filter((h) => h.state === 'online' || h.state === 'degraded').map((h) => h.config.id), [hosts]);
  const [status, setStatus] = useState<Record<string, LxcHostStatus | string>>({});
  useEffect(() => {
    let live = true;
    for (const id of online) void api.call('lxc.host', { hostId: id }).then((o) => live && setStatus((s) => ({ ...s, [id]: o.ok ? o.value : o.error.message })));
    return () => {
      live = false;
    };
  }, [online.join('\n')]);
  return status;
}

function NewLxcDialog({ onClose }: { onClose: () => void }) {
  const hosts = useFleet((s) => s.hosts);
  const vmsByHost = useFleet((s) => s.vmsByHost);
  const status = useLxcHosts();
  const usable = Object.entries(status).flatMap(([id, st]) => (typeof st !== 'string' && st.tools && st.privileged && st.templates.includes('busybox') ? [id] : []));
  const [hostId, setHostId] = useState<string | null>(null);
  const host = hostId ?? usable[0] ?? null;
  const st = host ? status[host] : undefined;
  const bridges = st && typeof st !== 'string' ? st.bridges : [];
  const [name, setName] = useState('');
  const [memory, setMemory] = useState('64');
  const [bridge, setBridge] = useState<string | null>(null);
  const [autostart, setAutostart] = useState(false);

  const taken = host ? (vmsByHost[host] ?? []).some((vm) => isLxcTools(vm) && vm.name === name) : false;
  const mem = memory.trim() ? parseMemoryMiB(memory) : undefined;
  const problem = !host
    ? 'No connected host can run the LXC tools as root'
    : (lxcNameProblem(name) ?? (taken ? `${hosts[host]?.config.label ?? host} already has an LXC container named "${name}"` : undefined) ?? (mem && 'problem' in mem ? mem.problem : undefined));
  const create = () => {
    if (!host || problem) return;
    const label = hosts[host]?.config.label ?? host;
    void runTask(`Create LXC container ${name} on ${label}`, 'lxc.create', { hostId: host, name, template: 'busybox', memory: memory.trim() || undefined, bridge: bridge ?? undefined, autostart });
    onClose();
  };

  return (
    <Modal opened onClose={onClose} title="New LXC container" size="md">
      <Stack gap="sm">
        <Select
          label="Host"
          aria-label="Host"
          data={usable.map((id) => ({ value: id, label: hosts[id]?.config.label ?? id }))}
          value={host}
          onChange={setHostId}
          allowDeselect={false}
          placeholder={Object.keys(status).length ? 'No host can run the LXC tools' : 'Asking the hosts…'}
        />
        <Text size="xs" c="dimmed">
          Template: busybox (made offline from the host&apos;s own busybox)
        </Text>
        <TextInput label="Name" aria-label="Container name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <TextInput label="Memory limit" aria-label="Memory limit" description="MiB (e.g. 64) or with a unit (1G); empty for none" value={memory} onChange={(e) => setMemory(e.currentTarget.value)} />
        <Select label="Network" aria-label="Bridge" placeholder="No NIC" clearable data={bridges} value={bridge} onChange={setBridge} description="One NIC (veth) on a bridge of the host, or none" />
        <Checkbox label="Start with the host (lxc.start.auto)" checked={autostart} onChange={(e) => setAutostart(e.currentTarget.checked)} />
        {problem && (name || memory !== '64' || !host) && (
          <Text size="sm" c="red" role="alert">
            {problem}
          </Text>
        )}
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            lxc-create runs as root on the host; the container is not started.
          </Text>
          <DialogButtons label="Create" disabled={!!problem} onCancel={onClose} onConfirm={create} />
        </Group>
      </Stack>
    </Modal>
  );
}
