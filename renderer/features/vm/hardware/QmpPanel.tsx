// Read-only QMP queries for experts: what QEMU actually gives the guest.
import { Alert, Button, Code, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../../app/api';
import { QMP_QUERIES, type QmpQuery } from '../../../../shared/domain-xml';
import { vmRef, type VmRef } from '../../../store/vm-ref';
import { qmpView } from '../../../../shared/qmp';
import { FactTable } from '../../../ui/FactTable';
import { GuestDriversSection } from '../../qmp/GuestDriversSection';


export function QmpPanel({ vm, running }: { vm: VmRef; running: boolean }) {
  const [query, setQuery] = useState<QmpQuery>('query-status');
  const [out, setOut] = useState<{ ok: boolean; text: string; query: QmpQuery } | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    const r = await api.call('vm.qmp', { ...vmRef(vm), command: query });
    setBusy(false);
    setOut(r.ok ? { ok: true, text: r.value, query } : { ok: false, text: r.error.message, query });
  };
  return (
    <section aria-label="QEMU monitor">
      <Stack gap="xs">
        <Title order={3} size="h5">
          QEMU monitor (read-only)
        </Title>
        <Alert color="yellow" p="xs">
          <Text size="xs">
            Runs <Code fz="xs">virsh qemu-monitor-command</Code>. libvirt then marks the domain as tainted (&quot;custom-monitor&quot;) in its log until the VM
            restarts — harmless for these read-only queries, but support teams may ask about it.
          </Text>
        </Alert>
        <Group gap="xs" align="end">
          <NativeSelect size="xs" w={200} label="Query" data={[...QMP_QUERIES]} value={query} onChange={(e) => setQuery(e.currentTarget.value as never)} />
          <Button size="xs" onClick={() => void run()} loading={busy} disabled={!running}>
            Run query
          </Button>
          {!running && (
            <Text size="xs" c="dimmed">
              The VM is not running.
            </Text>
          )}
        </Group>
        {out?.ok &&
          qmpView(out.query, out.text)?.tables.map((t) => (
            <div key={t.title}>
              <Text size="xs" fw={600}>
                {t.title}
              </Text>
              <FactTable rows={t.rows} label={`${out.query}: ${t.title}`} size="xs" labelWidth={160} />
            </div>
          ))}
        {out && (
          <Code block fz="xs" aria-label="QMP reply" c={out.ok ? undefined : 'red'} mah={400} style={{ overflow: 'auto' }}>
            {out.text}
          </Code>
        )}
        <GuestDriversSection vm={vm} running={running} />
      </Stack>
    </section>
  );
}
