// An LXC-tools container's config file as the host has it: its lxc.* keys in order (repeats, such
// as mount entries, kept) and the file itself. Read again when the container's state changes.
import { Alert, Code, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Result } from '../../../shared/contract';
import { api } from '../../app/api';
import { useVm } from '../../store/fleet';
import type { VmRef } from '../../store/vm-ref';
import { ListTable } from '../../ui/ListTable';

export function LxcConfigTab({ vm: ref }: { vm: VmRef }) {
  const vm = useVm(ref);
  const [config, setConfig] = useState<{ value?: Result<'lxc.config'>; error?: string }>({});
  useEffect(() => {
    let live = true;
    void api.call('lxc.config', { hostId: ref.hostId, name: ref.name }).then((o) => live && setConfig(o.ok ? { value: o.value } : { error: o.error.message }));
    return () => {
      live = false;
    };
  }, [ref.hostId, ref.name, vm?.state, vm?.autostart]);
  if (config.error) return <Alert color="red" title="Could not read the config">{config.error}</Alert>;
  if (!config.value) return <Loader size="sm" aria-label="Loading the config" />;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {config.value.path}
      </Text>
      <ListTable
        label="Config keys"
        columns={['Key', 'Value']}
        rows={config.value.entries.map((e) => ({ key: e.line, label: `${e.key} = ${e.value}`, cells: [<Code key="k">{e.key}</Code>, <span style={{ wordBreak: 'break-all' }}>{e.value}</span>] }))}
      />
      <Code block aria-label="Config file">
        {config.value.text}
      </Code>
    </Stack>
  );
}
