// Editors for inputs, serial ports, consoles, channels, RNGs and watchdogs (each removable), and
// the "Add hardware" menu that adds every kind of device.
import { Button, Group, Menu, Modal, NativeSelect, NumberInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { DomainEdit, DomainView, InputBus, InputType } from '../../../../shared/domain-xml';
import { Panel, type EditorProps } from './editors';
import type { NewVolume } from './useDomain';

const opt = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));
const INPUT_TYPES = ['tablet', 'keyboard', 'mouse'] as const;
const INPUT_BUSES = ['usb', 'virtio', 'ps2'] as const;
const WATCHDOG_MODELS = ['i6300esb', 'itco', 'ib700', 'diag288'];
const WATCHDOG_ACTIONS = ['reset', 'shutdown', 'poweroff', 'pause', 'none', 'dump', 'inject-nmi'];
const GUEST_AGENT = 'org.qemu.guest_agent.0';

function Facts({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <Stack gap={0}>
      {rows.map(([k, v]) => (
        <Text size="xs" key={k}>
          <Text span c="dimmed" size="xs" fw={500}>
            {k}:{' '}
          </Text>
          {v ?? '—'}
        </Text>
      ))}
    </Stack>
  );
}

export function InputEditor(p: EditorProps & { index: number }) {
  const i = p.view.inputs[p.index]!;
  const [type, setType] = useState(i.type ?? 'tablet');
  const [bus, setBus] = useState(i.bus ?? 'usb');
  const builtIn = i.bus === 'ps2';
  const edits: DomainEdit[] = type !== i.type || bus !== i.bus ? [{ kind: 'set-input', index: p.index, type: type as InputType, bus: bus as InputBus }] : [];
  return (
    <Panel
      title={`Input ${p.index + 1}`}
      edits={builtIn ? null : edits}
      busy={p.busy}
      apply={p.apply}
      remove={builtIn ? undefined : { kind: 'remove-device', device: 'input', index: p.index }}
      note={
        <Text size="xs" c="dimmed">
          {builtIn
            ? 'The PS/2 mouse and keyboard are part of the x86 machine: libvirt always adds them, so they cannot be changed or removed.'
            : 'A USB or virtio tablet gives the pointer absolute positions (no mouse lag in the console).'}
        </Text>
      }
    >
      <Group gap="sm">
        <NativeSelect size="xs" w={160} label="Input type" data={opt(INPUT_TYPES)} value={type} disabled={builtIn} onChange={(e) => setType(e.currentTarget.value)} />
        <NativeSelect size="xs" w={160} label="Input bus" data={opt(INPUT_BUSES)} value={bus} disabled={builtIn} onChange={(e) => setBus(e.currentTarget.value)} />
      </Group>
    </Panel>
  );
}

export function SerialEditor(p: EditorProps & { index: number }) {
  const s = p.view.serials[p.index]!;
  return (
    <Panel
      title={`Serial port ${p.index + 1}`}
      edits={null}
      busy={p.busy}
      apply={p.apply}
      remove={{ kind: 'remove-device', device: 'serial', index: p.index }}
      note={
        <Text size="xs" c="dimmed">
          Removing a serial port also removes the console that shows it.
        </Text>
      }
    >
      <Facts rows={[['Type', s.type], ['Target', `${s.targetType ?? 'default'} port ${s.targetPort ?? p.index}`], ['Device on the host', s.sourcePath]]} />
    </Panel>
  );
}

export function ConsoleEditor(p: EditorProps & { index: number }) {
  const c = p.view.consoles[p.index]!;
  const [target, setTarget] = useState(c.targetType ?? 'serial');
  const edits: DomainEdit[] = target !== (c.targetType ?? 'serial') ? [{ kind: 'set-console-target', index: p.index, targetType: target as 'serial' | 'virtio' }] : [];
  return (
    <Panel
      title={`Console ${p.index + 1}`}
      edits={edits}
      busy={p.busy}
      apply={p.apply}
      remove={{ kind: 'remove-device', device: 'console', index: p.index }}
      note={
        <Text size="xs" c="dimmed">
          serial: the guest&apos;s ttyS{c.targetPort ?? 0} (works from the firmware on); virtio: hvc0, needs the guest&apos;s virtio-console driver.
        </Text>
      }
    >
      <Facts rows={[['Type', c.type]]} />
      <NativeSelect size="xs" w={200} label="Console target type" data={opt(['serial', 'virtio'])} value={target} onChange={(e) => setTarget(e.currentTarget.value)} />
    </Panel>
  );
}

export function ChannelEditor(p: EditorProps & { index: number }) {
  const c = p.view.channels[p.index]!;
  return (
    <Panel title={`Channel ${c.targetName ?? p.index + 1}`} edits={null} busy={p.busy} apply={p.apply} remove={{ kind: 'remove-device', device: 'channel', index: p.index }}>
      <Facts rows={[['Type', c.type], ['Target', `${c.targetType ?? '?'} ${c.targetName ?? ''}`], ['Socket', c.sourcePath]]} />
      {c.targetName === GUEST_AGENT && (
        <Text size="xs" c="dimmed">
          The QEMU guest agent talks to the host through this channel (clean shutdown, filesystem freeze, IP addresses).
        </Text>
      )}
    </Panel>
  );
}

export function RngEditor(p: EditorProps & { index: number }) {
  const r = p.view.rngs[p.index]!;
  return (
    <Panel title={`RNG ${p.index + 1}`} edits={null} busy={p.busy} apply={p.apply} remove={{ kind: 'remove-device', device: 'rng', index: p.index }}>
      <Facts rows={[['Model', r.model], ['Backend', `${r.backendModel ?? '?'} ${r.backend ?? ''}`]]} />
      <Text size="xs" c="dimmed">
        A virtio RNG feeds the guest&apos;s entropy pool from the host, so early boot does not stall waiting for randomness.
      </Text>
    </Panel>
  );
}

export function WatchdogEditor(p: EditorProps & { index: number }) {
  const w = p.view.watchdogs[p.index]!;
  const [model, setModel] = useState(w.model ?? 'i6300esb');
  const [action, setAction] = useState(w.action ?? 'reset');
  const edits: DomainEdit[] = model !== w.model || action !== (w.action ?? 'reset') ? [{ kind: 'set-watchdog', watchdog: { model: model as never, action: action as never } }] : [];
  return (
    <Panel title="Watchdog" edits={edits} busy={p.busy} apply={p.apply} remove={{ kind: 'set-watchdog', watchdog: null }}>
      <Group gap="sm">
        <NativeSelect size="xs" w={180} label="Watchdog model" data={opt(WATCHDOG_MODELS)} value={model} onChange={(e) => setModel(e.currentTarget.value)} />
        <NativeSelect size="xs" w={180} label="Watchdog action" data={opt(WATCHDOG_ACTIONS)} value={action} onChange={(e) => setAction(e.currentTarget.value)} />
      </Group>
    </Panel>
  );
}

// ---- Add hardware ----------------------------------------------------------------------------

type Kind = 'disk' | 'cdrom' | 'nic' | 'controller' | 'input' | 'serial' | 'rng' | 'watchdog' | 'vnc' | 'agent';

/** Each kind: its menu item and what adding it is called (dialog title and task). */
const KINDS: Array<[Kind, string, string]> = [
  ['disk', 'Disk', 'Add disk'],
  ['cdrom', 'CD-ROM', 'Add CD-ROM drive'],
  ['nic', 'Network interface', 'Add network interface'],
  ['controller', 'Controller', 'Add controller'],
  ['input', 'Input device', 'Add input device'],
  ['serial', 'Serial port', 'Add serial port'],
  ['rng', 'Random number generator', 'Add random number generator'],
  ['watchdog', 'Watchdog', 'Add watchdog'],
  ['vnc', 'VNC display', 'Add VNC display'],
  ['agent', 'Guest agent channel', 'Add guest agent channel'],
];

export type ApplyWithVolumes = (what: string, edits: DomainEdit[], newVolumes?: NewVolume[]) => Promise<boolean>;

export function AddHardwareMenu(p: { view: DomainView; facts: EditorProps['facts']; busy: boolean; running: boolean; apply: ApplyWithVolumes }) {
  const [kind, setKind] = useState<Kind | null>(null);
  const title = KINDS.find(([k]) => k === kind)?.[2] ?? '';
  return (
    <>
      <Menu position="bottom-start" withinPortal>
        <Menu.Target>
          <Button size="xs" variant="light" fullWidth mb={6} disabled={p.busy}>
            Add hardware
          </Button>
        </Menu.Target>
        <Menu.Dropdown aria-label="Add hardware">
          {KINDS.map(([k, l]) => (
            <Menu.Item key={k} onClick={() => setKind(k)} fz="xs">
              {l}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={kind !== null} onClose={() => setKind(null)} title={title} size="md">
        {kind && <AddForm key={kind} kind={kind} {...p} done={() => setKind(null)} />}
      </Modal>
    </>
  );
}

function AddForm(p: { kind: Kind; view: DomainView; facts: EditorProps['facts']; busy: boolean; running: boolean; apply: ApplyWithVolumes; done(): void }) {
  const v = p.view;
  const q35 = /q35/.test(v.os.machine ?? '');
  const volumes = p.facts?.volumes ?? [];
  const pools = p.facts?.pools ?? [];
  const isos = volumes.filter((x) => /\.iso$/i.test(x.name));
  const firstNic = v.interfaces.find((n) => n.type === 'bridge' || n.type === 'network');
  const data = volumes.filter((x) => !/\.iso$/i.test(x.name));
  // Defaults follow the host facts (which may arrive after the dialog opened); typed values win.
  const defaults: Record<string, string> = {
    source: 'new',
    volume: data[0] ? `${data[0].pool}/${data[0].name}` : '',
    pool: pools.includes('default') ? 'default' : (pools[0] ?? ''),
    name: `${v.name ?? 'vm'}-disk${v.disks.length + 1}.qcow2`,
    size: '1024',
    format: 'qcow2',
    bus: p.kind === 'cdrom' ? (q35 ? 'sata' : 'ide') : 'virtio',
    iso: '',
    nicType: firstNic?.type ?? (p.facts?.networks.length ? 'network' : 'bridge'),
    nicSource: firstNic?.source ?? p.facts?.networks[0] ?? '',
    model: 'virtio',
    mac: '',
    ctrl: 'scsi:virtio-scsi',
    inputType: 'tablet',
    inputBus: 'usb',
    rng: '/dev/urandom',
    wdModel: 'i6300esb',
    wdAction: 'reset',
    listen: '127.0.0.1',
  };
  const [typed, setTyped] = useState<Record<string, string>>({});
  const f: Record<string, string> = { ...defaults, ...typed };
  const set = (k: string) => (e: { currentTarget: { value: string } } | string) => {
    const value = typeof e === 'string' ? e : e.currentTarget.value;
    setTyped((x) => ({ ...x, [k]: value }));
  };
  let edits: DomainEdit[] = [];
  let newVolumes: NewVolume[] = [];
  let body: ReactNode = null;
  let live = '';
  const split = (pv: string) => {
    const [pool, ...rest] = pv.split('/');
    return { pool: pool!, volume: rest.join('/') };
  };
  switch (p.kind) {
    case 'disk': {
      const existing = data;
      if (f.source === 'new') {
        newVolumes = [{ pool: f.pool!, name: f.name!, capacityMiB: Number(f.size), format: f.format as 'qcow2' | 'raw' }];
        edits = [{ kind: 'add-disk', bus: f.bus as never, source: { pool: f.pool!, volume: f.name! }, format: f.format as 'qcow2' | 'raw' }];
      } else if (f.volume) {
        const src = split(f.volume);
        edits = [{ kind: 'add-disk', bus: f.bus as never, source: src, format: /\.qcow2$/i.test(src.volume) ? 'qcow2' : 'raw' }];
      }
      live = ['virtio', 'scsi', 'usb'].includes(f.bus!) ? 'It is plugged into the running VM too.' : `A ${f.bus} disk cannot be hot-plugged: it appears at the next boot.`;
      body = (
        <>
          <SegmentedControl
            size="xs"
            aria-label="Disk source"
            data={[
              { value: 'new', label: 'New volume' },
              { value: 'existing', label: 'Existing volume' },
            ]}
            value={f.source}
            onChange={set('source')}
          />
          {f.source === 'new' ? (
            <>
              <NativeSelect size="xs" label="Storage pool" data={pools.length ? opt(pools) : [{ value: '', label: 'no active pool' }]} value={f.pool} onChange={set('pool')} />
              <TextInput size="xs" label="Volume name" value={f.name} onChange={set('name')} />
              <Group gap="sm">
                <NumberInput size="xs" w={160} label="Size (MiB)" value={f.size} onChange={(x) => set('size')(String(x))} allowDecimal={false} min={1} />
                <NativeSelect size="xs" w={160} label="Format" data={opt(['qcow2', 'raw'])} value={f.format} onChange={set('format')} />
              </Group>
              <Text size="xs" c="dimmed">
                Created sparse with virsh vol-create-as; deleted again if libvirt refuses the new configuration.
              </Text>
            </>
          ) : (
            <NativeSelect
              size="xs"
              label="Volume"
              data={existing.length ? existing.map((x) => ({ value: `${x.pool}/${x.name}`, label: `${x.pool}/${x.name}` })) : [{ value: '', label: 'no volumes' }]}
              value={f.volume}
              onChange={set('volume')}
            />
          )}
          <NativeSelect size="xs" label="Bus" data={opt(['virtio', 'scsi', 'sata', ...(q35 ? [] : ['ide']), 'usb'])} value={f.bus} onChange={set('bus')} />
        </>
      );
      break;
    }
    case 'cdrom':
      edits = [{ kind: 'add-disk', device: 'cdrom', bus: f.bus as never, source: f.iso ? split(f.iso) : null, format: 'raw' }];
      live = 'A new CD-ROM drive appears at the next boot (SATA/IDE drives cannot be hot-plugged); change the medium of an existing drive to have it live.';
      body = (
        <>
          <NativeSelect size="xs" label="Bus" data={opt(['sata', 'scsi', ...(q35 ? [] : ['ide']), 'usb'])} value={f.bus} onChange={set('bus')} />
          <NativeSelect
            size="xs"
            label="ISO volume"
            description={p.facts && isos.length === 0 ? 'no storage pool on this host has a volume ending in .iso' : undefined}
            data={[{ value: '', label: 'empty drive' }, ...isos.map((x) => ({ value: `${x.pool}/${x.name}`, label: `${x.pool}/${x.name}` }))]}
            value={f.iso}
            onChange={set('iso')}
          />
        </>
      );
      break;
    case 'nic': {
      const source =
        f.nicType === 'network' ? { type: 'network' as const, network: f.nicSource! } : { type: 'bridge' as const, bridge: f.nicSource! };
      edits = [{ kind: 'add-nic', source, model: f.model, ...(f.mac!.trim() ? { mac: f.mac!.trim() } : {}) }];
      live = 'It is plugged into the running VM too.';
      body = (
        <>
          <Group gap="sm">
            <NativeSelect
              size="xs"
              w={180}
              label="Connection type"
              data={[
                { value: 'bridge', label: 'host bridge' },
                { value: 'network', label: 'libvirt network' },
              ]}
              value={f.nicType}
              onChange={set('nicType')}
            />
            {f.nicType === 'network' && p.facts?.networks.length ? (
              <NativeSelect size="xs" w={200} label="Network" data={opt(p.facts.networks)} value={f.nicSource} onChange={set('nicSource')} />
            ) : (
              <TextInput size="xs" w={200} label={f.nicType === 'network' ? 'Network' : 'Bridge'} value={f.nicSource} onChange={set('nicSource')} />
            )}
          </Group>
          <NativeSelect size="xs" label="Model" data={opt(['virtio', 'e1000e', 'e1000', 'rtl8139'])} value={f.model} onChange={set('model')} />
          <TextInput size="xs" label="MAC address" placeholder="generated by libvirt" value={f.mac} onChange={set('mac')} />
        </>
      );
      break;
    }
    case 'controller': {
      const [type, model] = f.ctrl!.split(':');
      edits = [{ kind: 'add-controller', type: type!, ...(model ? { model } : {}) }];
      body = (
        <NativeSelect
          size="xs"
          label="Controller"
          data={[
            { value: 'scsi:virtio-scsi', label: 'SCSI (virtio-scsi)' },
            { value: 'usb:qemu-xhci', label: 'USB 3 (qemu-xhci)' },
            { value: 'virtio-serial:', label: 'virtio-serial' },
            { value: 'sata:', label: 'SATA (AHCI)' },
          ]}
          value={f.ctrl}
          onChange={set('ctrl')}
        />
      );
      break;
    }
    case 'input':
      edits = [{ kind: 'add-input', type: f.inputType as InputType, bus: f.inputBus as InputBus }];
      body = (
        <Group gap="sm">
          <NativeSelect size="xs" w={160} label="Input type" data={opt(INPUT_TYPES)} value={f.inputType} onChange={set('inputType')} />
          <NativeSelect size="xs" w={160} label="Input bus" data={opt(INPUT_BUSES)} value={f.inputBus} onChange={set('inputBus')} />
        </Group>
      );
      break;
    case 'serial':
      edits = [{ kind: 'add-serial' }];
      body = <Text size="xs">A pty serial port on the next free port (ttyS{v.serials.length}).</Text>;
      break;
    case 'rng':
      edits = [{ kind: 'add-rng', backend: f.rng as never }];
      body = <NativeSelect size="xs" label="Host entropy source" data={opt(['/dev/urandom', '/dev/random', '/dev/hwrng'])} value={f.rng} onChange={set('rng')} />;
      break;
    case 'watchdog':
      edits = [{ kind: 'set-watchdog', watchdog: { model: f.wdModel as never, action: f.wdAction as never } }];
      body = (
        <>
          {v.watchdog && <Text size="xs">The domain has a watchdog ({v.watchdog.model}); this replaces its model and action.</Text>}
          <Group gap="sm">
            <NativeSelect size="xs" w={180} label="Watchdog model" data={opt(WATCHDOG_MODELS)} value={f.wdModel} onChange={set('wdModel')} />
            <NativeSelect size="xs" w={180} label="Watchdog action" data={opt(WATCHDOG_ACTIONS)} value={f.wdAction} onChange={set('wdAction')} />
          </Group>
        </>
      );
      break;
    case 'vnc':
      edits = [{ kind: 'add-graphics', type: 'vnc', listen: f.listen }];
      body = (
        <TextInput
          size="xs"
          label="Listen address"
          description="VirtDeck reaches the display through the SSH connection, so 127.0.0.1 is the safe choice."
          value={f.listen}
          onChange={set('listen')}
        />
      );
      break;
    case 'agent':
      edits = [{ kind: 'add-guest-agent-channel' }];
      body = <Text size="xs">A virtio-serial channel named {GUEST_AGENT}; install qemu-guest-agent in the guest to use it.</Text>;
      break;
  }
  return (
    <Stack gap="xs">
      {body}
      {p.running && (
        <Text size="xs" c="dimmed">
          The VM runs. {live || 'The device appears at the next boot (shown as pending until then).'}
        </Text>
      )}
      <Group justify="flex-end" gap="xs">
        <Button size="xs" variant="subtle" onClick={p.done}>
          Cancel
        </Button>
        <Button
          size="xs"
          disabled={p.busy || edits.length === 0}
          loading={p.busy}
          onClick={() => void p.apply(KINDS.find(([k]) => k === p.kind)![2], edits, newVolumes).then(() => p.done())}
        >
          Add
        </Button>
      </Group>
    </Stack>
  );
}
