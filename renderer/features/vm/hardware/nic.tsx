// Network interfaces: connection (bridge, libvirt network, macvtap), model, link state and MAC;
// and the Add network interface form (hot-plugged into a running VM).
import { Group, NativeSelect, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { HardwareFacts } from '../../../../shared/contract';
import { COMMON_NIC_MODELS, type DomainEdit, LINK_STATES, NIC_SOURCE_TYPES } from '../../../../shared/domain-xml';
import { AddFormFrame, useAddFields, type AddFormProps } from './AddForm';
import { DEFAULT, DeviceFacts, opt, orNull, Panel, type DeviceEditorProps } from './Panel';


/** What the NIC is plugged into; macvtap (direct) only where the NIC has it already. */
function ConnectionType({ value, onChange, direct = false }: { value: string; onChange(v: string): void; direct?: boolean }) {
  return (
    <NativeSelect
      size="xs"
      w={180}
      label="Connection type"
      data={[
        { value: 'bridge', label: 'host bridge' },
        { value: 'network', label: 'libvirt network' },
        ...(direct ? [{ value: 'direct', label: 'macvtap (direct)' }] : []),
      ]}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}

const SOURCE_LABEL: Record<string, string> = { network: 'Network', bridge: 'Bridge', direct: 'Host device' };

/** The host's networks, bridges or NICs (by connection type) by name with what each is; a name
 *  the host lacks stays choosable, marked, so the current config is never silently replaced. */
function SourcePicker({ type, value, onChange, facts }: { type: string; value: string; onChange(v: string): void; facts: HardwareFacts | null }) {
  const choices = (facts?.nicSources ?? []).filter((c) => c.type === type);
  if (!facts || choices.length === 0) {
    return <TextInput size="xs" w={260} label={SOURCE_LABEL[type] ?? 'Source'} value={value} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
  const data = choices.map((c) => ({ value: c.name, label: `${c.name} — ${c.what}` }));
  if (value && !choices.some((c) => c.name === value)) data.unshift({ value, label: `${value} — not on this host` });
  if (!value) data.unshift({ value: '', label: 'choose…' });
  return <NativeSelect size="xs" w={360} label={SOURCE_LABEL[type] ?? 'Source'} data={data} value={value} onChange={(e) => onChange(e.currentTarget.value)} />;
}

export function NicEditor(p: DeviceEditorProps) {
  const n = p.view.interfaces[p.index]!;
  const [model, setModel] = useState(n.model ?? '');
  const [link, setLink] = useState(n.link ?? 'up');
  const [mac, setMac] = useState(n.mac ?? '');
  const [srcType, setSrcType] = useState(n.type ?? 'bridge');
  const [src, setSrc] = useState(n.source ?? '');
  const edits: DomainEdit[] = [];
  const editableSource = (NIC_SOURCE_TYPES as readonly string[]).includes(n.type ?? '');
  if (editableSource && (srcType !== n.type || src.trim() !== (n.source ?? ''))) {
    const name = src.trim();
    edits.push({
      kind: 'set-nic-source',
      index: n.index,
      source: srcType === 'network' ? { type: 'network', network: name } : srcType === 'direct' ? { type: 'direct', dev: name } : { type: 'bridge', bridge: name },
    });
  }
  if (model !== (n.model ?? '') && model !== '') edits.push({ kind: 'set-nic-model', index: n.index, model });
  if (link !== (n.link ?? 'up')) edits.push({ kind: 'set-nic-link', index: n.index, state: link as 'up' | 'down' });
  if (mac.trim() !== (n.mac ?? '')) edits.push({ kind: 'set-nic-mac', index: n.index, mac: orNull(mac.trim()) });
  const models = [...new Set([...COMMON_NIC_MODELS, ...(n.model ? [n.model] : [])])];
  return (
    <Panel
      title={`NIC ${n.index + 1}`}
      edits={edits}
      editor={p}
      remove={{ kind: 'remove-device', device: 'interface', index: n.index }}
      note={
        p.running && (
          <Text size="xs" c="dimmed">
            The VM runs: the link state and a move to another bridge or network change live as well; a new model or MAC waits for the next boot.
          </Text>
        )
      }
    >
      <DeviceFacts
        rows={[
          ['Connection', `${n.type ?? '?'}${n.source ? ` ${n.source}` : ''}${n.sourceMode ? ` (${n.sourceMode})` : ''}`],
          ['Live link', p.live?.interfaces[n.index]?.link ?? (p.running ? 'up' : null)],
        ]}
      />
      {editableSource && (
        <Group gap="sm">
          <ConnectionType
            value={srcType}
            onChange={(t) => {
              setSrcType(t);
              if (t !== srcType) setSrc(t === n.type ? (n.source ?? '') : '');
            }}
            direct
          />
          <SourcePicker type={srcType} value={src} onChange={setSrc} facts={p.facts} />
        </Group>
      )}
      <NativeSelect size="xs" w={300} label="Model" data={[...(n.model ? [] : [DEFAULT]), ...opt(models)]} value={model} onChange={(e) => setModel(e.currentTarget.value)} />
      <NativeSelect size="xs" w={300} label="Link state" data={opt(LINK_STATES)} value={link} onChange={(e) => setLink(e.currentTarget.value)} />
      <TextInput size="xs" w={300} label="MAC address" placeholder="generated by libvirt" value={mac} onChange={(e) => setMac(e.currentTarget.value)} />
    </Panel>
  );
}

export function AddNicForm(p: AddFormProps) {
  const firstNic = p.view.interfaces.find((n) => n.type === 'bridge' || n.type === 'network');
  const [f, set] = useAddFields({
    nicType: firstNic?.type ?? (p.facts?.networks.length ? 'network' : 'bridge'),
    nicSource: firstNic?.source ?? p.facts?.networks[0] ?? '',
    model: 'virtio',
    mac: '',
  });
  const source = f.nicType === 'network' ? { type: 'network' as const, network: f.nicSource } : { type: 'bridge' as const, bridge: f.nicSource };
  const edits: DomainEdit[] = [{ kind: 'add-nic', source, model: f.model, ...(f.mac.trim() ? { mac: f.mac.trim() } : {}) }];
  return (
    <AddFormFrame {...p} edits={edits} live="It is plugged into the running VM too.">
      <Group gap="sm">
        <ConnectionType value={f.nicType} onChange={set('nicType')} />
        <SourcePicker type={f.nicType} value={f.nicSource} onChange={set('nicSource')} facts={p.facts} />
      </Group>
      <NativeSelect size="xs" label="Model" data={opt(COMMON_NIC_MODELS)} value={f.model} onChange={set('model')} />
      <TextInput size="xs" label="MAC address" placeholder="generated by libvirt" value={f.mac} onChange={set('mac')} />
    </AddFormFrame>
  );
}
