// Connections: add, remove, connect, the add-connection dialog's suggestions and import, the
// prompts a connection asks, and each host's stats schedule.
import type { HostStatus } from '../../../shared/contract/index.js';
import { UserError } from '../errors.js';
import { readVirtManagerConnections, targetForUri } from '../hosts/virt-manager.js';
import type { Service } from '../dispatch.js';
import { describeResolved } from '../ssh/resolved-view.js';
import { parseTarget } from '../ssh/target.js';
import type { ServiceContext } from './context.js';

export type HostsMethod =
  | 'hosts.list'
  | 'hosts.add'
  | 'hosts.remove'
  | 'hosts.connect'
  | 'hosts.disconnect'
  | 'hosts.suggestions'
  | 'hosts.importVirtManager'
  | 'hosts.resolveSsh'
  | 'prompt.answer'
  | 'stats.setInterval';

const LOCAL = {
  local: true,
  port: 0,
  user: '',
  hops: [],
  identityFiles: [],
  identitiesOnly: false,
  knownHostsFiles: [],
  globalKnownHostsFiles: [],
  hostKeyName: '',
  hostKeyAlgorithms: [],
  decidedBy: [],
  files: [],
  warnings: [],
};

export function hostsService({ registry, prompts, sshConfig, emit }: ServiceContext): Service<HostsMethod> {
  return {
    'hosts.list': async () => {
      // A window that opens late still sees the questions waiting for it.
      for (const prompt of prompts.pending()) emit({ type: 'prompt', prompt });
      return registry.all().map((h) => h.status());
    },
    'hosts.add': async (p) => registry.add(p),
    'hosts.remove': async ({ hostId }) => {
      registry.remove(hostId);
      return null;
    },
    'hosts.connect': async ({ hostId }) => registry.get(hostId).connect(),
    'hosts.disconnect': async ({ hostId }) => {
      const host = registry.get(hostId);
      host.disconnect();
      emit({ type: 'host.vms', hostId, vms: [] });
      emit({ type: 'host.status', status: host.status() });
      return host.status();
    },
    'hosts.suggestions': async () => ({
      sshHosts: sshConfig.aliases(),
      virtManager: await readVirtManagerConnections().catch(() => []),
    }),
    'hosts.resolveSsh': async ({ target, hostId }) => {
      const text = hostId !== undefined ? registry.get(hostId).config.target : String(target ?? '');
      let parsed;
      try {
        parsed = parseTarget(text);
      } catch (err) {
        throw new UserError('invalid-input', (err as Error).message);
      }
      if (parsed.local) return { ...LOCAL, address: parsed.host };
      try {
        return describeResolved(parsed, sshConfig);
      } catch (err) {
        throw new UserError('ssh', `ssh config: ${(err as Error).message}`);
      }
    },
    'hosts.importVirtManager': async () => {
      const added: HostStatus[] = [];
      const skipped: string[] = [];
      for (const { uri, autoconnect } of await readVirtManagerConnections()) {
        const mapped = targetForUri(uri);
        if ('unsupported' in mapped) {
          skipped.push(mapped.unsupported);
          continue;
        }
        try {
          added.push(registry.add({ target: mapped.target, libvirtUri: mapped.libvirtUri, autoconnect }));
        } catch (err) {
          skipped.push(`${uri}: ${(err as Error).message}`);
        }
      }
      return { added, skipped };
    },
    'prompt.answer': async ({ promptId, answers, remember }) => {
      prompts.answer(promptId, answers, remember === true);
      return null;
    },
    'stats.setInterval': async ({ intervalMs, hostId }) => {
      const ms = intervalMs === null && hostId !== undefined ? undefined : Number(intervalMs);
      if (ms !== undefined && (!Number.isFinite(ms) || ms < 500 || ms > 60_000)) throw new UserError('invalid-input', 'The stats interval must be between 500 ms and 60 s');
      // With a host: that host's own schedule, saved with its connection; else the default.
      if (hostId !== undefined) registry.setHostStatsInterval(hostId, ms);
      else registry.setDefaultStatsInterval(ms!);
      return null;
    },
  };
}
