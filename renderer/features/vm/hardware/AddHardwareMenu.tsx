// "Add hardware": a menu of every device kind that can be added, and the kind's form in a dialog.
// Each kind's form lives with its editor, in that kind's file.
import { Button, Menu, Modal } from '@mantine/core';
import { useEffect, useState, type ComponentType } from 'react';
import { useDiskHandover } from '../../../store/disk-handover';
import type { VmRef } from '../../../store/vm-ref';
import type { DomainView } from '../../../../shared/domain-xml';
import type { AddFormProps } from './AddForm';
import { AddGuestAgentForm, AddSerialForm } from './chardev';
import { AddControllerForm } from './controller';
import { AddCdromForm, AddDiskForm } from './disk';
import { AddVncForm } from './graphics';
import { AddInputForm } from './input';
import { AddNicForm } from './nic';
import type { EditorProps } from './Panel';
import { AddFilesystemForm } from './filesystem';
import { AddHostdevForm } from './hostdev';
import { AddRedirdevForm } from './redirdev';
import { AddRngForm } from './rng';
import { AddSoundForm } from './sound';
import { AddTpmForm } from './tpm';
import { AddVsockForm } from './vsock';
import type { ApplyWithVolumes } from './useDomain';
import { AddWatchdogForm } from './watchdog';

interface AddKind {
  id: string;
  /** The menu item. */
  item: string;
  /** What adding it is called: the dialog's title and the task's. */
  title: string;
  Form: ComponentType<AddFormProps>;
}

/** The menu, in order. */
const KINDS: AddKind[] = [
  { id: 'disk', item: 'Disk', title: 'Add disk', Form: AddDiskForm },
  { id: 'cdrom', item: 'CD-ROM', title: 'Add CD-ROM drive', Form: AddCdromForm },
  { id: 'nic', item: 'Network interface', title: 'Add network interface', Form: AddNicForm },
  { id: 'controller', item: 'Controller', title: 'Add controller', Form: AddControllerForm },
  { id: 'input', item: 'Input device', title: 'Add input device', Form: AddInputForm },
  { id: 'serial', item: 'Serial port', title: 'Add serial port', Form: AddSerialForm },
  { id: 'rng', item: 'Random number generator', title: 'Add random number generator', Form: AddRngForm },
  { id: 'watchdog', item: 'Watchdog', title: 'Add watchdog', Form: AddWatchdogForm },
  { id: 'sound', item: 'Sound card', title: 'Add sound card', Form: AddSoundForm },
  { id: 'redirdev', item: 'USB redirector', title: 'Add USB redirector', Form: AddRedirdevForm },
  { id: 'tpm', item: 'TPM', title: 'Add TPM', Form: AddTpmForm },
  { id: 'filesystem', item: 'Filesystem share', title: 'Add filesystem share', Form: AddFilesystemForm },
  { id: 'vsock', item: 'vsock', title: 'Add vsock', Form: AddVsockForm },
  { id: 'hostdev', item: 'Host device (PCI/USB)', title: 'Add host device', Form: AddHostdevForm },
  { id: 'vnc', item: 'VNC display', title: 'Add VNC display', Form: AddVncForm },
  { id: 'agent', item: 'Guest agent channel', title: 'Add guest agent channel', Form: AddGuestAgentForm },
];

export function AddHardwareMenu({ vm, ...p }: { vm: VmRef; view: DomainView; facts: EditorProps['facts']; busy: boolean; running: boolean; apply: ApplyWithVolumes }) {
  const [kind, setKind] = useState<AddKind | null>(null);
  const [preset, setPreset] = useState<Record<string, string>>();
  // A volume handed over from the storage view opens Add disk with it chosen, once the host's
  // volumes are known (the form lists them).
  const handover = useDiskHandover((s) => s.pending);
  useEffect(() => {
    if (!p.facts || !handover) return;
    const h = useDiskHandover.getState().take(vm);
    if (!h) return;
    setPreset({ source: 'existing', volume: `${h.pool}/${h.volume}` });
    setKind(KINDS.find((k) => k.id === 'disk')!);
  }, [p.facts, handover, vm]);
  return (
    <>
      <Menu position="bottom-start" withinPortal>
        <Menu.Target>
          <Button size="xs" variant="light" fullWidth mb={6} disabled={p.busy}>
            Add hardware
          </Button>
        </Menu.Target>
        <Menu.Dropdown aria-label="Add hardware">
          {KINDS.map((k) => (
            <Menu.Item key={k.id} onClick={() => setKind(k)} fz="xs">
              {k.item}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Modal
        opened={kind !== null}
        onClose={() => {
          setKind(null);
          setPreset(undefined);
        }} title={kind?.title ?? ''} size="md">
        {kind && (
          <kind.Form
            key={kind.id}
            {...p}
            hostId={vm.hostId}
            preset={preset}
            title={kind.title}
            done={() => {
              setKind(null);
              setPreset(undefined);
            }}
          />
        )}
      </Modal>
    </>
  );
}
