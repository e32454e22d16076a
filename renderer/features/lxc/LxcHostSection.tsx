// A host's LXC tools and foreign architectures, on its page: whether the tools are there and may
// run as root for this login (and, when not, why and what sudo rule would allow it), and the
// binfmt_misc handlers of qemu-user (which architectures the host runs, enabled or not, flags).
import { Alert, Badge, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { LxcHostStatus } from '../../../shared/contract';
import { api } from '../../app/api';
import { FactTable } from '../../ui/FactTable';
import { ListTable } from '../../ui/ListTable';
import { Section } from '../../ui/Section';

const FLAG_WORDS: Record<string, string> = { P: 'preserve argv[0]', O: 'open binary', C: 'credentials', F: 'emulator fixed at registration' };

export function LxcHostSection({ hostId }: { hostId: string }) {
  const [status, setStatus] = useState<{ value?: LxcHostStatus; error?: string }>({});
  useEffect(() => {
    let live = true;
    void api.call('lxc.host', { hostId }).then((o) => live && setStatus(o.ok ? { value: o.value } : { error: o.error.message }));
    return () => {
      live = false;
    };
  }, [hostId]);
  if (status.error) return <Alert color="red" title="Could not ask about LXC">{status.error}</Alert>;
  const s = status.value;
  if (!s) return <Loader size="sm" aria-label="Loading LXC status" />;
  return (
    <Stack gap="sm" mt="sm">
      <Section title="LXC tools">
        <FactTable
          rows={[
            ['Installed', s.tools ? 'yes' : 'no'],
            ['Runs as root', s.tools ? (s.privileged ? 'yes' : 'no') : undefined],
            ['Templates', s.templates.join(', ') || undefined],
            ['Bridges', s.bridges.join(', ') || undefined],
          ]}
        />
        {s.reason && (
          <Text size="sm" c={s.tools ? 'orange' : 'dimmed'} mt={4} role="note">
            {s.reason}
          </Text>
        )}
      </Section>
      <Section title="Foreign architectures (binfmt)">
        {!s.binfmt.mounted ? (
          <Text size="sm" c="dimmed">
            binfmt_misc is not mounted on {s.hostArch ?? 'this host'}: no foreign-architecture binaries run here (mount it, and install qemu-user-static and binfmt-support).
          </Text>
        ) : s.binfmt.handlers.length === 0 ? (
          <Text size="sm" c="dimmed">
            No qemu-user handler is registered (install qemu-user-static and binfmt-support).
          </Text>
        ) : (
          <ListTable
            label="binfmt handlers"
            columns={['Handler', 'Runs', 'State', 'Flags', 'Interpreter']}
            rows={s.binfmt.handlers.map((h) => ({
              key: h.name,
              label: `${h.name} ${h.enabled ? 'enabled' : 'disabled'}`,
              cells: [
                h.name,
                h.arch,
                <Badge key="s" size="xs" variant="light" color={h.enabled ? 'green' : 'gray'}>
                  {h.enabled ? 'enabled' : 'disabled'}
                </Badge>,
                <span key="f" title={[...h.flags].map((f) => FLAG_WORDS[f] ?? f).join(', ')}>
                  {h.flags || '—'}
                </span>,
                <span key="i" style={{ wordBreak: 'break-all' }}>
                  {h.interpreter ?? '—'}
                </span>,
              ],
            }))}
          />
        )}
      </Section>
    </Stack>
  );
}
