// LXC-tools containers: the host's LXC status (tools, privilege, binfmt handlers, templates,
// bridges), creating one, and its config file. Listing, lifecycle, consoles and destroy go through
// the vms and consoles areas with driver 'lxc-tools' (lxc/tools.ts, lxc/inventory.ts).
import { newContainerConfig, parseLxcConfig } from '../../../shared/lxc/config.js';
import { bridgeNameProblem, lxcNameProblem, parseMemoryMiB } from '../../../shared/lxc/input.js';
import { UserError } from '../errors.js';
import type { Service } from '../dispatch.js';
import type { ServiceContext } from './context.js';

export function lxcService({ registry }: ServiceContext): Service<'lxc.host' | 'lxc.create' | 'lxc.config'> {
  return {
    'lxc.host': async ({ hostId }) => registry.get(hostId).lxcTools().status(),
    'lxc.create': async ({ hostId, name, template, memory, bridge, autostart }) => {
      // Every check before anything runs on the host.
      const nameProblem = lxcNameProblem(name);
      if (nameProblem) throw new UserError('invalid-input', nameProblem);
      const mem = memory?.trim() ? parseMemoryMiB(memory) : undefined;
      if (mem && 'problem' in mem) throw new UserError('invalid-input', mem.problem);
      const host = registry.get(hostId);
      const lxc = host.lxcTools();
      const status = await lxc.status();
      if (!status.tools || !status.privileged) throw new UserError('forbidden', status.reason ?? `${host.label} cannot run the LXC tools`);
      if (!status.templates.includes(template)) throw new UserError('invalid-input', `${host.label} has no LXC template "${template}" (package lxc-templates or lxc)`);
      if (bridge) {
        const problem = bridgeNameProblem(bridge);
        if (problem) throw new UserError('invalid-input', problem);
        if (!status.bridges.includes(bridge)) throw new UserError('invalid-input', `${host.label} has no bridge "${bridge}" (it has: ${status.bridges.join(', ') || 'none'})`);
      }
      await lxc.refresh();
      if (lxc.vms.some((c) => c.name === name)) throw new UserError('invalid-input', `${host.label} already has an LXC container named "${name}"`);
      const config = newContainerConfig({ memoryMiB: mem && 'mib' in mem ? mem.mib : undefined, bridge: bridge || undefined, cgroup2: lxc.tools.probe?.cgroup2 ?? false, autostart });
      await lxc.tools.create(name, template, config).finally(() => lxc.refresh());
      return null;
    },
    'lxc.config': async ({ hostId, name }) => {
      const host = registry.withVm(hostId, name, 'lxc-tools');
      const { path, text } = await host.lxcTools().tools.readConfig(name);
      return { path, text, entries: parseLxcConfig(text) };
    },
  };
}
