// Preparing a host (host-admin/prepare.ts): its checklist, applying its steps with live output and
// the sudo password asked through VirtDeck's prompt, and the Ansible playbook of the same steps.
// After the login key went in, the connection is made again with the key (the typed password is
// forgotten), which also gives the session the user's new groups.
import { playbookYaml } from '../../../shared/prepare/index.js';
import type { Service } from '../dispatch.js';
import { UserError } from '../errors.js';
import { applySteps, checkHost, probeHost, type PrepareHost } from '../host-admin/prepare.js';
import type { HostConnection } from '../hosts/host-connection.js';
import type { ServiceContext } from './context.js';

export type PrepareMethod = 'prepare.check' | 'prepare.apply' | 'prepare.playbook';

export function prepareService({ registry, prompts, emit }: ServiceContext): Service<PrepareMethod> {
  const hostOf = (host: HostConnection): PrepareHost => ({
    hostId: host.id,
    label: host.label,
    session: host.session(),
    publicKey: host.sshLogin()?.publicKey,
    askSudoPassword: async (user) => {
      const answer = await prompts.ask({
        hostId: host.id,
        kind: 'password',
        title: `sudo password for ${user} on ${host.label}`,
        message: `Preparing ${host.label} runs commands as root through sudo. Enter the password of ${user} there; VirtDeck keeps it only while these steps run.`,
        fields: [{ label: 'sudo password', secret: true }],
        canRemember: false,
      });
      return answer ? (answer.answers[0] ?? '') : null;
    },
    output: (step, text) => emit({ type: 'prepare.output', hostId: host.id, step, text }),
  });
  const running = new Set<string>();
  return {
    'prepare.check': async ({ hostId }) => checkHost(hostOf(registry.get(hostId))),
    'prepare.apply': async ({ hostId, steps }) => {
      const host = registry.get(hostId);
      if (running.has(hostId)) throw new UserError('invalid-input', `${host.label} is being prepared already`);
      running.add(hostId);
      try {
        const result = await applySteps(hostOf(host), steps);
        let switchedToKey: boolean | undefined;
        // A new session: key login, and the groups the user was just added to.
        if (result.keyInstalled || result.steps.some((s) => s.id === 'groups' && s.outcome === 'done')) {
          await host.reconnectWithKey();
          switchedToKey = result.keyInstalled;
        } else if (!result.error) {
          await host.connect(); // degraded: probe libvirt now rather than at the next retry
        }
        const checklist = await checkHost(hostOf(host));
        emit({ type: 'host.status', status: host.status() });
        const { keyInstalled: _k, ...rest } = result;
        return { ...rest, checklist, ...(switchedToKey !== undefined ? { switchedToKey } : {}) };
      } finally {
        running.delete(hostId);
      }
    },
    'prepare.playbook': async ({ hostId }) => {
      const host = registry.get(hostId);
      const facts = await probeHost(host.session());
      if (facts.family === 'unknown') throw new UserError('unsupported', `${host.label} runs ${facts.os.prettyName}: a playbook is written for Debian/Ubuntu or Fedora/RHEL hosts`);
      const yaml = playbookYaml({ family: facts.family, hosts: host.label, user: facts.user.name, publicKey: host.sshLogin()?.publicKey });
      return { fileName: `prepare-${host.label.replace(/[^A-Za-z0-9._-]+/g, '_')}.yml`, yaml };
    },
  };
}
