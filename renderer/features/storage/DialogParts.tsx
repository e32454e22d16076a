// What the storage dialogs share: the frame (title, body, Cancel and the action), and the "in
// use" warning that must be ticked before an action that leaves VMs without a disk.
import { Alert, Button, Checkbox, Group, Modal, Stack } from '@mantine/core';
import { useState, type ReactNode } from 'react';

export function StorageModal(p: { title: string; action: string; danger?: boolean; disabled?: boolean; close(): void; run(): Promise<unknown>; children: ReactNode }) {
  const [busy, setBusy] = useState(false);
  return (
    <Modal opened onClose={p.close} title={p.title} size="md">
      <Stack gap="xs">
        {p.children}
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="subtle" onClick={p.close}>
            Cancel
          </Button>
          <Button
            size="xs"
            color={p.danger ? 'red' : undefined}
            disabled={p.disabled}
            loading={busy}
            onClick={() => {
              setBusy(true);
              void p.run().then((ok) => {
                setBusy(false);
                if (ok !== undefined) p.close();
              });
            }}
          >
            {p.action}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const vmList = (vms: readonly string[]) => vms.map((v) => `"${v}"`).join(', ');

/** The VMs an action would leave without a disk, and the tick that says "do it anyway". */
export function InUseWarning({ users, consequence, confirmed, setConfirmed }: { users: readonly string[]; consequence: string; confirmed: boolean; setConfirmed(v: boolean): void }) {
  if (users.length === 0) return null;
  return (
    <Alert color="red" p="xs" role="alert" title={`In use by ${vmList(users)}`}>
      {consequence}
      <Checkbox mt={6} size="xs" label={`Do it anyway, although ${vmList(users)} ${users.length === 1 ? 'uses' : 'use'} it`} checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} />
    </Alert>
  );
}

export const MIB = 1024 * 1024;
