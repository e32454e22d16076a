// Copy a volume to another host's pool through this app: the source host's bytes are piped into
// the target's new volume (same capacity and format) as they arrive, never held whole.
import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useFleet } from '../../store/fleet';
import { copyVolume } from './transfer-tasks';

/** The active pools of a host, for the target picker. */
export type PoolLister = (hostId: string) => Promise<string[]>;

export function CopyDialog(p: { hostId: string; pool: string; volume: string; listPools: PoolLister; onClose: () => void }) {
  const hosts = useFleet((s) => s.hosts);
  const online = Object.values(hosts).filter((h) => h.state === 'online');
  const label = (id: string) => hosts[id]?.config.label ?? id;
  const [toHost, setToHost] = useState<string | null>(online.find((h) => h.config.id !== p.hostId)?.config.id ?? null);
  const [pools, setPools] = useState<string[]>([]);
  const [toPool, setToPool] = useState<string | null>(null);
  const [name, setName] = useState(p.volume);

  useEffect(() => {
    if (!toHost) return;
    let live = true;
    void p.listPools(toHost).then((names) => {
      if (!live) return;
      setPools(names);
      setToPool(names.includes(p.pool) ? p.pool : (names[0] ?? null));
    });
    return () => {
      live = false;
    };
  }, [toHost, p.pool, p.listPools]);

  const submit = () => {
    if (!toHost || !toPool) return;
    const title = `Copy ${p.volume} from ${label(p.hostId)} to ${label(toHost)}:${toPool}`;
    void copyVolume({ hostId: p.hostId, pool: p.pool, name: p.volume }, { hostId: toHost, pool: toPool, name: name.trim() }, title);
    p.onClose();
  };
  return (
    <Modal opened onClose={p.onClose} title={`Copy ${p.volume} to a host`} size="md">
      <Stack gap="sm">
        <Select label="Target host" aria-label="Target host" allowDeselect={false} value={toHost} onChange={setToHost} data={online.map((h) => ({ value: h.config.id, label: h.config.label }))} />
        <Select label="Target pool" aria-label="Target pool" allowDeselect={false} value={toPool} onChange={setToPool} data={pools} />
        <TextInput label="Name on the target" aria-label="Name on the target" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={p.onClose}>
            Close
          </Button>
          <Button disabled={!toHost || !toPool || !name.trim()} onClick={submit}>
            Copy
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
