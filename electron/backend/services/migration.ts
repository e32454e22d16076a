// Moving VMs between hosts (migration/): the pre-flight, the move, its cancel and the list.
import type { VolumeRef } from '../../../shared/contract/index.js';
import type { Service } from '../dispatch.js';
import { UserError } from '../errors.js';
import type { HostConnection } from '../hosts/host-connection.js';
import { Migrations, type MoveHost } from '../migration/migrations.js';
import type { ServiceContext } from './context.js';

type MigrationMethod = 'migration.preflight' | 'migration.start' | 'migration.cancel' | 'migration.list' | 'migration.evacuate';

function moveHost(h: HostConnection): MoveHost {
  return { id: h.id, label: h.label, virsh: h.virsh(), session: h.session(), libvirtUri: h.config.libvirtUri, refresh: () => h.refreshIfOnline() };
}

export function migrationService(ctx: ServiceContext): Service<MigrationMethod> {
  const copier = { copy: (src: VolumeRef, dest: VolumeRef) => ctx.transfers.copyVolume(src, dest), cancel: (id: string) => ctx.transfers.cancel(id) };
  const migrations = new Migrations((hostId) => moveHost(ctx.registry.get(hostId)), ctx.emit, copier);
  const known = (hostId: string, name: string) => ctx.registry.get(hostId).requireVm(name);
  return {
    'migration.preflight': async (req) => (known(req.hostId, req.name), migrations.preflight(req)),
    'migration.start': async (req) => (known(req.hostId, req.name), { migrationId: await migrations.start(req) }),
    'migration.cancel': async ({ migrationId }) => (await migrations.cancel(migrationId), null),
    'migration.list': async () => migrations.list(),
    'migration.evacuate': async ({ hostId, vms }) => {
      const host = ctx.registry.get(hostId);
      const all = host.vms.filter((v) => (v.driver ?? 'qemu') === 'qemu' && v.state === 'running').map((v) => v.name);
      const notRunning = (vms ?? []).filter((vm) => !all.includes(vm));
      if (notRunning.length) throw new UserError('invalid-input', `Not running on ${host.label}, so not moved: ${notRunning.join(', ')}`);
      const running = vms ? all.filter((vm) => vms.includes(vm)) : all;
      const targets = ctx.registry.all().filter((h) => h.id !== hostId && h.status().state === 'online').map((h) => h.id);
      return migrations.evacuate(hostId, running, targets);
    },
  };
}
