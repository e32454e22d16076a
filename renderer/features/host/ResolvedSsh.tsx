// What VirtDeck will use to reach a host, as `ssh -G` would tell it: address, user, hops, key
// files, known_hosts files and the config lines that decided them. Read-only.
import { Loader, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ResolvedSsh } from '../../../shared/contract';
import { api } from '../../app/api';
import { FactTable, type Fact } from '../../ui/FactTable';
import { Section } from '../../ui/Section';

/** Re-resolved when the query changes; typed targets wait for a pause in the typing. */
export function ResolvedSshPanel({ query, delayMs = 0 }: { query: { target: string } | { hostId: string }; delayMs?: number }) {
  const key = 'hostId' in query ? `host:${query.hostId}` : `target:${query.target}`;
  const [state, setState] = useState<{ key: string; value?: ResolvedSsh; error?: string }>();

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void api.call('hosts.resolveSsh', query).then((o) => {
        if (live) setState(o.ok ? { key, value: o.value } : { key, error: o.error.message });
      });
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `key` names the query: a new object with the same fields is the same query.
  }, [key, delayMs]);

  const current = state?.key === key ? state : undefined;
  return (
    <Section title="Resolved SSH settings">
      {!current && <Loader size="xs" aria-label="Resolving SSH settings" />}
      {current?.error && (
        <Text size="sm" c="red">
          {current.error}
        </Text>
      )}
      {current?.value && <FactTable size="xs" labelWidth={130} multiline label="Resolved SSH settings" rows={rows(current.value)} />}
    </Section>
  );
}

function rows(r: ResolvedSsh): Fact[] {
  if (r.local) return [['Connection', 'Local libvirt on this machine: no SSH']];
  const facts: Fact[] = [
    ['Address', `${r.user}@${r.address}:${r.port}`],
    ['Proxy command', r.proxyCommand],
    ['Hops', r.hops.length ? r.hops.map((h) => `${h.name} (${h.user}@${h.address}:${h.port})`).join(' → ') : 'none (direct)'],
    ['Key files', `${r.identityFiles.join('\n')}\n${r.identitiesOnly ? '(only these: IdentitiesOnly)' : '(after the agent’s keys)'}`],
    ['Certificates', r.certificates?.length ? r.certificates.join('\n') : undefined],
    ['known_hosts', [...r.knownHostsFiles, ...r.globalKnownHostsFiles.map((f) => `${f} (global)`)].join('\n')],
    ['Host key', r.hostKeyName ? `${r.hostKeyName}: ${r.hostKeyAlgorithms.join(', ')}` : undefined],
    ['Decided by', r.decidedBy.length ? r.decidedBy.map((d) => `${d.setting}: ${d.origin}`).join('\n') : 'defaults only'],
    ['Config files', r.files.join('\n') || 'none found'],
  ];
  if (r.problem) facts.push(['Cannot connect', r.problem]);
  if (r.warnings.length) facts.push(['Warnings', r.warnings.join('\n')]);
  return facts;
}
