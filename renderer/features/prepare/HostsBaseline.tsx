// Every connected host against the guide's baseline, side by side: KVM, libvirt's version and
// daemon, the user's groups, the default network and pool, the guide's bridges, KSM, the packages — each cell the
// checklist's state with its evidence, and Prepare beside a host that misses any.
import { Badge, Button, Table, Text, Title, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Check, PrepareChecklist } from '../../../shared/contract';
import { api } from '../../app/api';
import { useFleet } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';

/** Checklist line id -> column title. */
const COLUMNS = Object.entries({ kvm: 'KVM', service: 'libvirt daemon', groups: 'Groups', network: 'Network default', pool: 'Pool default', bridges: 'Bridges', ksm: 'KSM', packages: 'Packages' }).map(([id, title]) => ({ id, title }));
const COLOR: Record<Check['state'], string> = { ok: 'green', missing: 'orange', unavailable: 'red', unknown: 'gray', info: 'blue' };
const WORD: Record<Check['state'], string> = { ok: 'ok', missing: 'missing', unavailable: 'not available', unknown: 'unknown', info: 'info' };

export function HostsBaselinePage() {
  const hosts = useFleet((s) => s.hosts);
  const go = useNavigation((s) => s.go);
  const [lists, setLists] = useState<Record<string, PrepareChecklist | string>>({});
  const connected = Object.values(hosts).filter((h) => h.state === 'online' || h.state === 'degraded');
  const key = connected.map((h) => `${h.config.id}:${h.state}`).join(',');
  useEffect(() => {
    for (const h of connected) {
      void api.call('prepare.check', { hostId: h.config.id }).then((r) => setLists((l) => ({ ...l, [h.config.id]: r.ok ? r.value : r.error.message })));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return (
    <>
      <Title order={2} size="h3" mb="sm">
        Hosts against the baseline
      </Title>
      {!connected.length && <Text c="dimmed">No host is connected.</Text>}
      <Table fz="sm" aria-label="Hosts baseline" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Host</Table.Th>
            <Table.Th>libvirt</Table.Th>
            {COLUMNS.map((c) => (
              <Table.Th key={c.id}>{c.title}</Table.Th>
            ))}
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {connected.map((h) => {
            const list = lists[h.config.id];
            const label = h.config.label;
            return (
              <Table.Tr key={h.config.id} aria-label={`Baseline of ${label}`}>
                <Table.Td>{label}</Table.Td>
                {typeof list === 'string' ? (
                  <Table.Td colSpan={COLUMNS.length + 1}>
                    <Text size="xs" c="red">
                      {list}
                    </Text>
                  </Table.Td>
                ) : !list ? (
                  <Table.Td colSpan={COLUMNS.length + 1}>…</Table.Td>
                ) : (
                  <>
                    <Table.Td>{list.libvirtVersion ?? '—'}</Table.Td>
                    {COLUMNS.map((c) => {
                      const check = list.checks.find((x) => x.id === c.id);
                      return (
                        <Table.Td key={c.id} aria-label={`${c.title} on ${label}`}>
                          {check && (
                            <Tooltip label={check.evidence} multiline w={320}>
                              <Badge size="xs" variant="light" color={COLOR[check.state]}>
                                {WORD[check.state]}
                              </Badge>
                            </Tooltip>
                          )}
                        </Table.Td>
                      );
                    })}
                  </>
                )}
                <Table.Td>
                  {typeof list === 'object' && list.steps.length > 0 && (
                    <Button size="compact-xs" variant="default" aria-label={`Prepare ${label}`} onClick={() => go({ kind: 'host', hostId: h.config.id })}>
                      Prepare…
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </>
  );
}
