import { Autocomplete, Button, Checkbox, Group, Modal, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Result } from '../../shared/contract';
import { api, runTask } from './api';
import { ResolvedSshPanel } from '../features/host/ResolvedSsh';
import { useFleet } from '../store/fleet';
import { DialogButtons } from '../ui/DialogButtons';

const RESOLVED_HEIGHT = 220;

/** Add a hypervisor: an ssh config alias, user@host[:port], or a qemu+ssh:// URI. */
export function AddConnectionDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [target, setTarget] = useState('');
  const [libvirtUri, setLibvirtUri] = useState('qemu:///system');
  const [autoconnect, setAutoconnect] = useState(true);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [suggestions, setSuggestions] = useState<Result<'hosts.suggestions'>>({ sshHosts: [], virtManager: [] });
  const [imported, setImported] = useState<string>();

  useEffect(() => {
    if (!opened) return;
    // The Host entries of the ssh config, as the person already names their hypervisors.
    void api.call('hosts.suggestions', {}).then((o) => o.ok && setSuggestions(o.value));
  }, [opened]);

  async function importVirtManager() {
    const result = await runTask('Import virt-manager connections', 'hosts.importVirtManager', {});
    if (!result) return;
    for (const status of result.added) useFleet.getState().apply({ type: 'host.status', status });
    setImported([`Imported ${result.added.length} connection${result.added.length === 1 ? '' : 's'}.`, ...result.skipped.map((s) => `Skipped ${s}`)].join(' '));
  }

  async function submit() {
    setBusy(true);
    setError(undefined);
    const outcome = await api.call('hosts.add', { target, libvirtUri, autoconnect });
    setBusy(false);
    if (!outcome.ok) {
      setError(outcome.error.message);
      return;
    }
    useFleet.getState().apply({ type: 'host.status', status: outcome.value });
    setTarget('');
    onClose();
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Add connection" size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Autocomplete
            label="Host"
            description="An ~/.ssh/config alias, user@host[:port], or qemu+ssh://user@host/system"
            placeholder="hv1"
            data={suggestions.sshHosts}
            // At most eight at once, all in view (typing narrows them): a scrolling list inside
            // a combobox is a scroll region no keyboard can reach.
            limit={8}
            maxDropdownHeight={360}
            value={target}
            onChange={setTarget}
            data-autofocus
            required
          />
          {/* A fixed-height box: the settings arriving after a pause in the typing must not move the
              buttons under the person's pointer (a click aimed at Add would land on the table). */}
          <ScrollArea h={RESOLVED_HEIGHT} type="auto" offsetScrollbars>
            {target.trim() ? (
              <ResolvedSshPanel query={{ target: target.trim() }} delayMs={300} />
            ) : (
              <Text size="xs" c="dimmed">
                Type a host to see how ssh will reach it.
              </Text>
            )}
          </ScrollArea>
          <TextInput label="libvirt URI" value={libvirtUri} onChange={(e) => setLibvirtUri(e.currentTarget.value)} />
          <Checkbox label="Connect automatically" checked={autoconnect} onChange={(e) => setAutoconnect(e.currentTarget.checked)} />
          {suggestions.virtManager.length > 0 && (
            <Group justify="space-between" wrap="nowrap">
              <Text size="xs" c="dimmed">
                virt-manager has {suggestions.virtManager.length} saved connection{suggestions.virtManager.length === 1 ? '' : 's'}.
              </Text>
              <Button size="xs" variant="light" onClick={() => void importVirtManager()}>
                Import from virt-manager
              </Button>
            </Group>
          )}
          {imported && (
            <Text size="xs" role="status">
              {imported}
            </Text>
          )}
          {error && (
            <Text c="red" size="sm" role="alert">
              {error}
            </Text>
          )}
          <DialogButtons label="Add" loading={busy} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
