// The placement hint: with several hosts connected, each one's free memory, vCPU load, room in
// its pools of the chosen kind and KVM, scored by shared/new-vm's rankPlacement; the best fit is
// marked and any host can be picked (the wizard then reads that host).
import { Badge, Button, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { HostStorage, NewVmOffer } from '../../../shared/contract';
import { rankPlacement, type PlacementHost, type PlacementNeed } from '../../../shared/new-vm';
import { formatBytes } from '../../../shared/transfers';
import { api } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { ListTable } from '../../ui/ListTable';

type HostRead = { offer: NewVmOffer; storage: HostStorage } | { error: string };

/** The offer and storage of each host, read once per set of hosts. */
function useHostReads(hostIds: string[]): Record<string, HostRead> {
  const [reads, setReads] = useState<Record<string, HostRead>>({});
  const key = hostIds.join('\u0000');
  useEffect(() => {
    let live = true;
    for (const hostId of hostIds) {
      void Promise.all([api.call('newvm.offer', { hostId }), api.call('storage.list', { hostId })]).then(([o, s]) => {
        if (!live) return;
        const read: HostRead = o.ok && s.ok ? { offer: o.value, storage: s.value } : { error: (!o.ok ? o.error : !s.ok ? s.error : undefined)?.message ?? 'unreadable' };
        setReads((r) => ({ ...r, [hostId]: read }));
      });
    }
    return () => {
      live = false;
    };
    // The ids' joined key is the dependency: a new array of the same hosts reads nothing again.
  }, [key]);
  return reads;
}

export function PlacementHint({ hostIds, need, current, onPick }: { hostIds: string[]; need: PlacementNeed; current: string | null; onPick: (hostId: string) => void }) {
  const reads = useHostReads(hostIds);
  const hosts = useFleet((s) => s.hosts);
  const vmsByHost = useFleet((s) => s.vmsByHost);
  const facts = useMemo(() => {
    const out: PlacementHost[] = [];
    for (const hostId of hostIds) {
      const r = reads[hostId];
      if (!r || 'error' in r) continue;
      const pools = r.storage.pools.filter((p) => p.active && p.type === need.poolKind);
      const running = (vmsByHost[hostId] ?? []).filter((v) => v.state === 'running');
      out.push({
        hostId,
        label: hosts[hostId]?.config.label ?? hostId,
        memoryKiB: r.offer.host.memoryKiB,
        memoryFreeKiB: r.offer.host.memoryFreeKiB,
        cpus: r.offer.host.cpus,
        vcpusRunning: running.reduce((n, v) => n + (v.vcpus ?? 0), 0),
        storageFreeBytes: pools.length ? Math.max(...pools.map((p) => p.available ?? 0)) : null,
        kvm: r.offer.host.kvm,
      });
    }
    return out;
  }, [hostIds, reads, hosts, vmsByHost, need.poolKind]);
  const { ranked, best } = useMemo(() => rankPlacement(facts, need), [facts, need]);
  const pending = hostIds.filter((id) => !reads[id]);
  const failed = hostIds.filter((id) => reads[id] && 'error' in reads[id]!);
  const byId = new Map(facts.map((f) => [f.hostId, f]));
  return (
    <Stack gap={4} role="region" aria-label="Placement">
      <Text size="sm" fw={500}>
        Where it fits{best ? `: ${hosts[best]?.config.label ?? best} suggested` : ''}
      </Text>
      <ListTable
        label="Hosts for the new VM"
        columns={['Host', 'Free memory', 'vCPU load', `Free in ${need.poolKind} pools`, 'KVM', '']}
        rows={ranked.map((r) => {
          const f = byId.get(r.hostId)!;
          return {
            key: r.hostId,
            label: `Placement on ${r.label}`,
            cells: [
              <>
                {r.label} {r.hostId === best && <Badge size="xs" color="green">best fit</Badge>}
                {r.notes.length > 0 && (
                  <Text size="xs" c={r.fits ? 'dimmed' : 'red'}>
                    {r.notes.join('; ')}
                  </Text>
                )}
              </>,
              `${Math.floor(f.memoryFreeKiB / 1024)} MiB`,
              `${f.vcpusRunning} vCPUs on ${f.cpus} CPUs`,
              f.storageFreeBytes === null ? 'none' : formatBytes(f.storageFreeBytes),
              f.kvm ? 'yes' : 'no (TCG)',
              r.hostId === current ? (
                <Text size="xs">chosen</Text>
              ) : (
                <Button size="compact-xs" variant="default" aria-label={`Use ${r.label}`} onClick={() => onPick(r.hostId)}>
                  Use
                </Button>
              ),
            ],
          };
        })}
      />
      {pending.length > 0 && <Loader size="xs" aria-label="Reading the hosts" />}
      {failed.map((id) => (
        <Text key={id} size="xs" c="red">
          {hosts[id]?.config.label ?? id}: {(reads[id] as { error: string }).error}
        </Text>
      ))}
    </Stack>
  );
}
