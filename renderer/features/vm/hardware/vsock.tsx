// The vsock (host–guest sockets): its CID, picked by libvirt at each start or fixed; and the Add
// vsock form.
import { Checkbox, Group, NumberInput, Text } from '@mantine/core';
import { useState } from 'react';
import { type DomainEdit, MAX_VSOCK_CID, MIN_VSOCK_CID } from '../../../../shared/domain-xml';
import { AddFormFrame, useAddFields, type AddFormProps } from './AddForm';
import { DeviceXmlBlock } from './device-xml';
import { num, Panel, type DeviceEditorProps } from './Panel';

function CidFields(p: { auto: boolean; cid: string; onAuto(v: boolean): void; onCid(v: string): void }) {
  return (
    <Group gap="sm" align="end">
      <Checkbox size="xs" label="Pick a free CID at each start" checked={p.auto} onChange={(e) => p.onAuto(e.currentTarget.checked)} />
      {!p.auto && (
        <NumberInput size="xs" w={140} label="Guest CID" min={MIN_VSOCK_CID} max={MAX_VSOCK_CID} value={p.cid} onChange={(v) => p.onCid(String(v))} />
      )}
    </Group>
  );
}

const cidOf = (auto: boolean, cid: string): 'auto' | number => (auto ? 'auto' : num(cid));

export function VsockEditor(p: DeviceEditorProps) {
  const v = p.view.vsock!;
  const [auto, setAuto] = useState(v.auto);
  const [cid, setCid] = useState(String(v.cid ?? MIN_VSOCK_CID));
  const changed = auto !== v.auto || (!auto && num(cid) !== v.cid);
  const edits: DomainEdit[] = changed ? [{ kind: 'set-vsock', cid: cidOf(auto, cid) }] : [];
  return (
    <Panel title="vsock" edits={edits} editor={p} remove={{ kind: 'remove-device', device: 'vsock', index: 0 }}>
      <CidFields auto={auto} cid={cid} onAuto={setAuto} onCid={setCid} />
      {p.running && p.live?.vsock?.cid != null && <Text size="xs">The running VM has CID {p.live.vsock.cid}.</Text>}
      <DeviceXmlBlock xml={p.xml} tag="vsock" index={0} label="vsock XML" />
    </Panel>
  );
}

export function AddVsockForm(p: AddFormProps) {
  const [f, set] = useAddFields({ cidAuto: 'yes', cid: String(MIN_VSOCK_CID) });
  const auto = f.cidAuto === 'yes';
  return (
    <AddFormFrame {...p} edits={[{ kind: 'set-vsock', cid: cidOf(auto, f.cid) }]}>
      {p.view.vsock && <Text size="xs">The VM has a vsock: this sets its CID.</Text>}
      <CidFields auto={auto} cid={f.cid} onAuto={(v) => set('cidAuto')(v ? 'yes' : '')} onCid={set('cid')} />
      <Text size="xs" c="dimmed">
        Needs /dev/vhost-vsock on the host (module vhost_vsock) when the VM starts.
      </Text>
    </AddFormFrame>
  );
}
