// Boot devices in order and the firmware boot menu.
import { Checkbox, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { DomainEdit } from '../../../../shared/domain-xml';
import { DeviceFacts, Panel, type EditorProps } from './Panel';

export function BootEditor(p: EditorProps) {
  const os = p.view.os;
  const [devs, setDevs] = useState(os.bootDevs.join(', '));
  const [menu, setMenu] = useState(os.bootMenu ?? false);
  const perDevice = [
    ...p.view.disks.filter((d) => d.bootOrder !== null).map((d) => [d.bootOrder!, `disk ${d.target}`] as const),
    ...p.view.interfaces.filter((n) => n.bootOrder !== null).map((n) => [n.bootOrder!, `NIC ${n.index + 1}`] as const),
  ].sort((a, b) => a[0] - b[0]);
  const edits: DomainEdit[] = [];
  const list = devs.split(/[\s,]+/).filter(Boolean);
  if (list.join(',') !== os.bootDevs.join(',') && list.length > 0) edits.push({ kind: 'set-boot-devs', devs: list as never });
  if (menu !== (os.bootMenu ?? false)) edits.push({ kind: 'set-boot-menu', enabled: menu });
  return (
    <Panel title="Boot" edits={edits} editor={p}>
      <DeviceFacts
        rows={[
          ['Firmware', os.firmware ?? 'BIOS (default)'],
          ['Per-device order', perDevice.length ? perDevice.map(([o, n]) => `${o}. ${n}`).join(', ') : 'none'],
        ]}
      />
      <TextInput
        size="xs"
        w={300}
        label="Boot devices (in order)"
        description="hd, cdrom, network, fd — replaces any per-device boot order"
        value={devs}
        onChange={(e) => setDevs(e.currentTarget.value)}
      />
      <Checkbox size="xs" label="Show the firmware boot menu" checked={menu} onChange={(e) => setMenu(e.currentTarget.checked)} />
    </Panel>
  );
}
