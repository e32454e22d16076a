// A VM's row while it moves: on the source "Migrating to hv3 42 %", on the destination "Arriving
// from hv2 42 %", from the same 'migration.progress' events.
import { Badge } from '@mantine/core';
import { useFleet } from '../../store/fleet';
import { movingOf, useMigrations } from '../../store/migrations';

export function MigrationBadge({ hostId, name }: { hostId: string; name: string }) {
  const m = useMigrations((s) => movingOf(s.byId, hostId, name));
  const hosts = useFleet((s) => s.hosts);
  if (!m) return null;
  const leaving = m.fromHostId === hostId;
  const other = hosts[leaving ? m.toHostId : m.fromHostId]?.config.label ?? '?';
  const pct = m.progress ? ` ${m.progress.percent.toFixed(0)} %` : '';
  const text = leaving ? `Migrating to ${other}${pct}` : `Arriving from ${other}${pct}`;
  return (
    <Badge size="xs" variant="light" color="violet" ml={4} aria-label={text}>
      {text}
    </Badge>
  );
}
