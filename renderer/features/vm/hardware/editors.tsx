// The editor of each entry in the hardware tab's device list. Each editor keeps its own fields,
// turns what changed into DomainEdits, and writes them with one "Apply".
import { Alert, Button, Checkbox, Code, Group, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { HardwareFacts } from '../../../../shared/contract';
import { DISK_BUSES, type DomainEdit, type DomainView } from '../../../../shared/domain-xml';

export interface EditorProps {
  view: DomainView;
  /** What the host offers (CPU models, volumes…); null while it is read. */
  facts: HardwareFacts | null;
  live: DomainView | null;
  running: boolean;
  busy: boolean;
  apply(what: string, edits: DomainEdit[]): Promise<boolean>;
}

const NIC_MODELS = ['virtio', 'e1000', 'e1000e', 'rtl8139', 'igb', 'vmxnet3'];
const VIDEO_MODELS = ['virtio', 'qxl', 'vga', 'bochs', 'cirrus', 'ramfb', 'vmvga', 'none'];
const BALLOON_MODELS = ['virtio', 'virtio-transitional', 'virtio-non-transitional', 'none'];
const DEFAULT = { value: '', label: 'hypervisor default' };

/** A labelled editor panel with its Apply button; `edits` null = nothing changed. */
export function Panel(props: {
  title: string;
  children: ReactNode;
  edits: DomainEdit[] | null;
  busy: boolean;
  apply: EditorProps['apply'];
  note?: ReactNode;
  /** The edit that removes this device, offered behind a confirmation. */
  remove?: DomainEdit;
}) {
  const { title, edits, busy, apply, remove } = props;
  const [confirming, setConfirming] = useState(false);
  return (
    <section aria-label={title}>
      <Stack gap="xs" maw={560}>
        <Title order={3} size="h5">
          {title}
        </Title>
        {props.children}
        {props.note}
        <Group gap="xs">
          <Button size="xs" disabled={busy || !edits || edits.length === 0} loading={busy} onClick={() => edits && void apply(title, edits)}>
            Apply
          </Button>
          {edits && edits.length > 0 && (
            <Text size="xs" c="dimmed">
              {edits.length} change{edits.length > 1 ? 's' : ''}: {edits.map((e) => e.kind).join(', ')}
            </Text>
          )}
          {remove &&
            (confirming ? (
              <>
                <Button size="xs" color="red" disabled={busy} onClick={() => void apply(`Remove ${title}`, [remove]).then(() => setConfirming(false))}>
                  Confirm remove
                </Button>
                <Button size="xs" variant="subtle" onClick={() => setConfirming(false)}>
                  Keep
                </Button>
              </>
            ) : (
              <Button size="xs" variant="subtle" color="red" disabled={busy} onClick={() => setConfirming(true)}>
                Remove device…
              </Button>
            ))}
        </Group>
      </Stack>
    </section>
  );
}

function Facts({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <Table withRowBorders={false} verticalSpacing={2} fz="xs" w="auto">
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th w={140} fw={500} c="dimmed">
              {k}
            </Table.Th>
            <Table.Td>{v ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const opt = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));
const orNull = (s: string) => (s === '' ? null : s);

export function OverviewEditor(p: EditorProps) {
  const [title, setTitle] = useState(p.view.title ?? '');
  const [description, setDescription] = useState(p.view.description ?? '');
  const edits: DomainEdit[] = [];
  if (title !== (p.view.title ?? '')) edits.push({ kind: 'set-title', title: orNull(title) });
  if (description !== (p.view.description ?? '')) edits.push({ kind: 'set-description', description: orNull(description) });
  return (
    <Panel title="Overview" edits={edits} busy={p.busy} apply={p.apply}>
      <Facts
        rows={[
          ['Name', p.view.name],
          ['UUID', p.view.uuid],
          ['Hypervisor', p.view.domainType],
          ['Machine', `${p.view.os.arch ?? ''} ${p.view.os.machine ?? ''}`],
          ['OS (libosinfo)', p.view.metadata.libosinfoId],
        ]}
      />
      <TextInput size="xs" label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
      <Textarea size="xs" label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
    </Panel>
  );
}

function num(v: string | number): number {
  return typeof v === 'number' ? v : Number(v);
}

export function CpuEditor(p: EditorProps) {
  const v = p.view;
  const [current, setCurrent] = useState<string | number>(v.vcpus.current ?? 1);
  const [max, setMax] = useState<string | number>(v.vcpus.max ?? 1);
  const [mode, setMode] = useState(v.cpu?.mode ?? '');
  const [model, setModel] = useState(v.cpu?.model ?? '');
  const topo = v.cpu?.topology;
  const [sockets, setSockets] = useState<string | number>(topo?.sockets ?? '');
  const [cores, setCores] = useState<string | number>(topo?.cores ?? '');
  const [threads, setThreads] = useState<string | number>(topo?.threads ?? '');
  const edits: DomainEdit[] = [];
  if (num(current) !== v.vcpus.current || num(max) !== v.vcpus.max) edits.push({ kind: 'set-vcpus', current: num(current), max: num(max) });
  const topoSet = sockets !== '' || cores !== '' || threads !== '';
  if (topoSet && (num(sockets) !== topo?.sockets || num(cores) !== topo?.cores || num(threads) !== topo?.threads)) {
    edits.push({ kind: 'set-cpu-topology', topology: { sockets: num(sockets), cores: num(cores), threads: num(threads), ...(topo?.dies ? { dies: topo.dies } : {}) } });
  } else if (!topoSet && topo) edits.push({ kind: 'set-cpu-topology', topology: null });
  if (mode === 'custom') {
    if (model !== '' && (v.cpu?.mode !== 'custom' || model !== (v.cpu?.model ?? ''))) edits.push({ kind: 'set-cpu-mode', mode: 'custom', model });
  } else if (mode !== (v.cpu?.mode ?? '') && (mode === 'host-passthrough' || mode === 'host-model')) edits.push({ kind: 'set-cpu-mode', mode });
  const modes = [...new Set(['host-passthrough', 'host-model', 'custom', ...(v.cpu?.mode ? [v.cpu.mode] : [])])];
  const offered = p.facts?.cpuModels ?? [];
  // Usable models first (what this host can run for this machine), then the rest, marked.
  const models = [
    ...(model && !offered.some((m) => m.name === model) ? [{ value: model, label: `${model} (current)` }] : []),
    ...offered.filter((m) => m.usable).map((m) => ({ value: m.name, label: m.name })),
    ...offered.filter((m) => !m.usable).map((m) => ({ value: m.name, label: `${m.name} (not usable on this host)` })),
  ];
  return (
    <Panel
      title="CPU"
      edits={edits}
      busy={p.busy}
      apply={p.apply}
      note={
        <Text size="xs" c="dimmed">
          {v.domainType === 'kvm' ? 'host-passthrough is fastest when the VM does not migrate between different CPUs; a named model keeps it migratable.' : 'This domain runs without KVM (TCG): host-passthrough needs KVM; pick a named model.'}
          {p.running && ' While the VM runs, a new current vCPU count is applied live where the guest allows it.'}
        </Text>
      }
    >
      <Group gap="sm" align="end">
        <NumberInput size="xs" w={140} label="vCPUs (current)" value={current} onChange={setCurrent} allowDecimal={false} />
        <NumberInput size="xs" w={140} label="vCPUs (maximum)" value={max} onChange={setMax} allowDecimal={false} />
      </Group>
      <Group gap="sm" align="end">
        <NumberInput size="xs" w={100} label="Sockets" value={sockets} onChange={setSockets} allowDecimal={false} placeholder="—" />
        <NumberInput size="xs" w={100} label="Cores" value={cores} onChange={setCores} allowDecimal={false} placeholder="—" />
        <NumberInput size="xs" w={100} label="Threads" value={threads} onChange={setThreads} allowDecimal={false} placeholder="—" />
        <Text size="xs" c="dimmed" mb={6}>
          topology: sockets × cores × threads must equal the maximum vCPUs (empty = none)
        </Text>
      </Group>
      <Group gap="sm" align="end">
        <NativeSelect
          size="xs"
          w={220}
          label="CPU mode"
          data={[...(v.cpu ? [] : [DEFAULT]), ...modes.map((m) => ({ value: m, label: m === 'custom' ? 'named model (custom)' : m }))]}
          value={mode}
          onChange={(e) => setMode(e.currentTarget.value)}
        />
        {mode === 'custom' && (
          <NativeSelect
            size="xs"
            w={300}
            label="CPU model"
            description={p.facts ? `${offered.filter((m) => m.usable).length} usable on this host for ${v.os.machine ?? 'this machine'}` : 'reading the host\'s CPU models…'}
            data={[...(model ? [] : [{ value: '', label: 'choose a model' }]), ...models]}
            value={model}
            onChange={(e) => setModel(e.currentTarget.value)}
          />
        )}
      </Group>
      {p.facts?.hostModel && (
        <Text size="xs" c="dimmed">
          host-model on this host: {p.facts.hostModel}
        </Text>
      )}
    </Panel>
  );
}

const MiB = 1024;

export function MemoryEditor(p: EditorProps) {
  const v = p.view;
  const [current, setCurrent] = useState<string | number>(Math.round((v.memory.currentKiB ?? 0) / MiB));
  const [max, setMax] = useState<string | number>(Math.round((v.memory.maxKiB ?? 0) / MiB));
  const edits: DomainEdit[] = [];
  const curKiB = Math.round(num(current) * MiB);
  const maxKiB = Math.round(num(max) * MiB);
  if (curKiB !== v.memory.currentKiB || maxKiB !== v.memory.maxKiB) edits.push({ kind: 'set-memory', currentKiB: curKiB, maxKiB });
  return (
    <Panel
      title="Memory"
      edits={edits}
      busy={p.busy}
      apply={p.apply}
      note={
        p.running && (
          <Text size="xs" c="dimmed">
            The VM runs: the current memory is the balloon target and is changed live as well (up to the running maximum,{' '}
            {Math.round((p.live?.memory.maxKiB ?? 0) / MiB)} MiB; live now {Math.round((p.live?.memory.currentKiB ?? 0) / MiB)} MiB). A new maximum waits for the next boot.
          </Text>
        )
      }
    >
      <Group gap="sm" align="end">
        <NumberInput size="xs" w={160} label="Current memory (MiB)" value={current} onChange={setCurrent} allowDecimal={false} />
        <NumberInput size="xs" w={160} label="Maximum memory (MiB)" value={max} onChange={setMax} allowDecimal={false} />
      </Group>
    </Panel>
  );
}

export function DiskEditor(p: EditorProps & { index: number }) {
  const d = p.view.disks[p.index]!;
  const [bus, setBus] = useState(d.bus ?? '');
  const [cache, setCache] = useState(d.driver.cache ?? '');
  const [io, setIo] = useState(d.driver.io ?? '');
  const [discard, setDiscard] = useState(d.driver.discard ?? '');
  const [dz, setDz] = useState(d.driver.detectZeroes ?? '');
  const [readonly, setReadonly] = useState(d.readonly);
  const [shareable, setShareable] = useState(d.shareable);
  const [serial, setSerial] = useState(d.serial ?? '');
  const removable = d.device === 'cdrom' || d.device === 'floppy';
  const currentMedia = d.source?.file ?? '';
  const [media, setMedia] = useState(currentMedia);
  const currentVolume = d.source?.volume ? `${d.source.pool}/${d.source.volume}` : '';
  const [iso, setIso] = useState(currentVolume);
  const isos = (p.facts?.volumes ?? []).filter((x) => /\.iso$/i.test(x.name));
  const target = d.target ?? '';
  const edits: DomainEdit[] = [];
  if (removable && iso !== currentVolume && iso !== '') {
    const [pool, ...rest] = iso.split('/');
    edits.push({ kind: 'change-media', target, source: { pool: pool!, volume: rest.join('/') } });
  } else if (removable && media.trim() !== currentMedia) edits.push({ kind: 'change-media', target, source: media.trim() ? { file: media.trim() } : null });
  const flags: Extract<DomainEdit, { kind: 'set-disk-flags' }> = { kind: 'set-disk-flags', target };
  if (!removable && readonly !== d.readonly) flags.readonly = readonly;
  if (shareable !== d.shareable) flags.shareable = shareable;
  if (serial.trim() !== (d.serial ?? '')) flags.serial = orNull(serial.trim());
  if (Object.keys(flags).length > 2) edits.push(flags);
  const driver: Extract<DomainEdit, { kind: 'set-disk-driver' }> = { kind: 'set-disk-driver', target };
  if (cache !== (d.driver.cache ?? '')) driver.cache = orNull(cache) as never;
  if (io !== (d.driver.io ?? '')) driver.io = orNull(io) as never;
  if (discard !== (d.driver.discard ?? '')) driver.discard = orNull(discard) as never;
  if (dz !== (d.driver.detectZeroes ?? '')) driver.detect_zeroes = orNull(dz) as never;
  if (Object.keys(driver).length > 2) edits.push(driver);
  // After the driver: a bus move may rename the disk.
  if (bus !== (d.bus ?? '') && bus !== '') edits.push({ kind: 'set-disk-bus', target, bus: bus as (typeof DISK_BUSES)[number] });
  const kind = d.device === 'cdrom' ? 'CD-ROM' : d.device === 'floppy' ? 'Floppy' : 'Disk';
  const src = d.source;
  return (
    <Panel
      title={`${kind} ${target}`}
      edits={edits}
      busy={p.busy}
      apply={p.apply}
      remove={{ kind: 'remove-device', device: 'disk', target }}
      note={
        <Text size="xs" c="dimmed">
          Moving to SCSI puts the disk on a virtio-scsi controller (added, or the default LSI one switched) with a free sdX name; to virtio it becomes vdX. Its
          boot order is kept. The guest needs the driver for the new bus.
        </Text>
      }
    >
      <Facts
        rows={[
          ['Device', d.device],
          ['Source', src?.file ?? src?.dev ?? (src?.volume ? `${src.pool}/${src.volume}` : src?.name) ?? 'empty'],
          ['Format', d.driver.type],
          ['Read-only', d.readonly ? 'yes' : 'no'],
          ['Boot order', d.bootOrder],
        ]}
      />
      <NativeSelect
        size="xs"
        w={300}
        label="Bus"
        data={opt(DISK_BUSES.filter((b) => !(d.device === 'cdrom' && b === 'virtio')).concat(d.bus && !(DISK_BUSES as readonly string[]).includes(d.bus) ? [d.bus as never] : []))}
        value={bus}
        onChange={(e) => setBus(e.currentTarget.value)}
      />
      <Group gap="sm">
        <NativeSelect size="xs" w={180} label="Cache" data={[DEFAULT, ...opt(['none', 'writethrough', 'writeback', 'directsync', 'unsafe'])]} value={cache} onChange={(e) => setCache(e.currentTarget.value)} />
        <NativeSelect size="xs" w={180} label="IO" data={[DEFAULT, ...opt(['threads', 'native', 'io_uring'])]} value={io} onChange={(e) => setIo(e.currentTarget.value)} />
      </Group>
      <Group gap="sm">
        <NativeSelect size="xs" w={180} label="Discard" data={[DEFAULT, ...opt(['unmap', 'ignore'])]} value={discard} onChange={(e) => setDiscard(e.currentTarget.value)} />
        <NativeSelect size="xs" w={180} label="Detect zeroes" data={[DEFAULT, ...opt(['off', 'on', 'unmap'])]} value={dz} onChange={(e) => setDz(e.currentTarget.value)} />
      </Group>
      {removable ? (
        <>
          <NativeSelect
            size="xs"
            w={420}
            label="Insert an ISO volume"
            description={p.facts && isos.length === 0 ? 'no storage pool on this host has a volume ending in .iso' : undefined}
            data={[{ value: '', label: isos.length ? 'choose a volume' : 'none available' }, ...isos.map((x) => ({ value: `${x.pool}/${x.name}`, label: `${x.pool}/${x.name}` }))]}
            value={iso}
            onChange={(e) => setIso(e.currentTarget.value)}
          />
          <TextInput size="xs" w={420} label="Medium (image file on the host)" placeholder="empty — clear to eject" value={media} onChange={(e) => setMedia(e.currentTarget.value)} />
          {p.running && (
            <Text size="xs" c="dimmed">
              The VM runs: the medium is changed in the running VM too.
            </Text>
          )}
        </>
      ) : (
        <Group gap="md">
          <Checkbox size="xs" label="Read-only" checked={readonly} onChange={(e) => setReadonly(e.currentTarget.checked)} />
          <Checkbox size="xs" label="Shareable" checked={shareable} onChange={(e) => setShareable(e.currentTarget.checked)} />
        </Group>
      )}
      <TextInput size="xs" w={300} label="Serial" placeholder="none" value={serial} onChange={(e) => setSerial(e.currentTarget.value)} />
    </Panel>
  );
}

export function NicEditor(p: EditorProps & { index: number }) {
  const n = p.view.interfaces[p.index]!;
  const [model, setModel] = useState(n.model ?? '');
  const [link, setLink] = useState(n.link ?? 'up');
  const [mac, setMac] = useState(n.mac ?? '');
  const [srcType, setSrcType] = useState(n.type ?? 'bridge');
  const [src, setSrc] = useState(n.source ?? '');
  const edits: DomainEdit[] = [];
  const editableSource = ['network', 'bridge', 'direct'].includes(n.type ?? '');
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
  const models = [...new Set([...NIC_MODELS, ...(n.model ? [n.model] : [])])];
  return (
    <Panel
      title={`NIC ${n.index + 1}`}
      edits={edits}
      busy={p.busy}
      apply={p.apply}
      remove={{ kind: 'remove-device', device: 'interface', index: n.index }}
      note={
        p.running && (
          <Text size="xs" c="dimmed">
            The VM runs: the link state changes live as well; a new model or MAC waits for the next boot.
          </Text>
        )
      }
    >
      <Facts
        rows={[
          ['Connection', `${n.type ?? '?'}${n.source ? ` ${n.source}` : ''}${n.sourceMode ? ` (${n.sourceMode})` : ''}`],
          ['Live link', p.live?.interfaces[n.index]?.link ?? (p.running ? 'up' : null)],
        ]}
      />
      {editableSource && (
        <Group gap="sm">
          <NativeSelect
            size="xs"
            w={180}
            label="Connection type"
            data={[
              { value: 'bridge', label: 'host bridge' },
              { value: 'network', label: 'libvirt network' },
              { value: 'direct', label: 'macvtap (direct)' },
            ]}
            value={srcType}
            onChange={(e) => setSrcType(e.currentTarget.value)}
          />
          <TextInput size="xs" w={200} label={srcType === 'network' ? 'Network' : srcType === 'direct' ? 'Host device' : 'Bridge'} value={src} onChange={(e) => setSrc(e.currentTarget.value)} />
        </Group>
      )}
      <NativeSelect size="xs" w={300} label="Model" data={[...(n.model ? [] : [DEFAULT]), ...opt(models)]} value={model} onChange={(e) => setModel(e.currentTarget.value)} />
      <NativeSelect size="xs" w={300} label="Link state" data={opt(['up', 'down'])} value={link} onChange={(e) => setLink(e.currentTarget.value)} />
      <TextInput size="xs" w={300} label="MAC address" placeholder="generated by libvirt" value={mac} onChange={(e) => setMac(e.currentTarget.value)} />
    </Panel>
  );
}

export function BalloonEditor(p: EditorProps) {
  const cur = p.view.memballoon?.model ?? 'none';
  const [model, setModel] = useState(cur);
  const edits: DomainEdit[] = model !== cur ? [{ kind: 'set-memballoon-model', model: model as never }] : [];
  return (
    <Panel title="Memory balloon" edits={edits} busy={p.busy} apply={p.apply}>
      <Text size="xs" c="dimmed">
        A virtio balloon lets the host change the guest's memory while it runs (set the current memory in Memory).
      </Text>
      <NativeSelect size="xs" w={300} label="Balloon model" data={opt(BALLOON_MODELS)} value={model} onChange={(e) => setModel(e.currentTarget.value)} />
    </Panel>
  );
}

export function VideoEditor(p: EditorProps & { index: number }) {
  const v = p.view.videos[p.index]!;
  const [model, setModel] = useState(v.model ?? '');
  const edits: DomainEdit[] = model !== (v.model ?? '') && model !== '' ? [{ kind: 'set-video-model', index: p.index, model: model as never }] : [];
  return (
    <Panel title={`Video ${p.index + 1}`} edits={edits} busy={p.busy} apply={p.apply} remove={{ kind: 'remove-device', device: 'video', index: p.index }}>
      <Facts rows={[['VRAM (KiB)', v.vram], ['Heads', v.heads], ['Primary', v.primary ? 'yes' : 'no']]} />
      <NativeSelect size="xs" w={300} label="Video model" data={[...(v.model ? [] : [DEFAULT]), ...opt(VIDEO_MODELS)]} value={model} onChange={(e) => setModel(e.currentTarget.value)} />
    </Panel>
  );
}

export function ControllerEditor(p: EditorProps & { position: number }) {
  const c = p.view.controllers[p.position]!;
  const scsiToVirtio = c.type === 'scsi' && !['virtio-scsi', 'virtio-transitional', 'virtio-non-transitional'].includes(c.model ?? '');
  return (
    <Panel
      title={`Controller ${c.type} ${c.index ?? 0}`}
      edits={scsiToVirtio ? [{ kind: 'replace-scsi-controller-with-virtio-scsi', index: c.index ?? 0 }] : null}
      busy={p.busy}
      apply={p.apply}
      note={
        scsiToVirtio && (
          <Alert color="yellow" p="xs">
            <Text size="xs">This SCSI controller is {c.model ?? 'the hypervisor default (LSI)'}: Apply switches it to virtio-scsi (RHEL 7+ guests have no LSI driver).</Text>
          </Alert>
        )
      }
    >
      <Facts
        rows={[
          ['Type', c.type],
          ['Model', c.model ?? 'default'],
          ['Attached disks', c.disks.length ? c.disks.join(', ') : 'none'],
          ['Address', c.address ? <Code fz="xs">{Object.entries(c.address).map(([k, v]) => `${k}=${v}`).join(' ')}</Code> : null],
        ]}
      />
    </Panel>
  );
}

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
    <Panel title="Boot" edits={edits} busy={p.busy} apply={p.apply}>
      <Facts
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

export function GraphicsEditor(p: EditorProps & { index: number }) {
  const g = p.view.graphics[p.index]!;
  const [listen, setListen] = useState(g.listen ?? '');
  const [port, setPort] = useState(g.autoport || g.port === null || g.port === -1 ? 'auto' : String(g.port));
  const [password, setPassword] = useState('');
  const [clearPassword, setClearPassword] = useState(false);
  const edits: DomainEdit[] = [];
  const e: Extract<DomainEdit, { kind: 'set-graphics' }> = { kind: 'set-graphics', index: p.index };
  if (listen.trim() !== (g.listen ?? '')) e.listen = orNull(listen.trim());
  const wasAuto = g.autoport || g.port === null || g.port === -1;
  if (port.trim() === 'auto' ? !wasAuto : port.trim() !== String(g.port)) e.port = port.trim() === 'auto' ? 'auto' : Number(port.trim());
  if (clearPassword && g.hasPassword) e.passwd = null;
  else if (password !== '') e.passwd = password;
  if (Object.keys(e).length > 2) edits.push(e);
  const remote = ['vnc', 'spice', 'rdp'].includes(g.type ?? '');
  return (
    <Panel
      title={`Display ${p.index + 1} (${g.type ?? '?'})`}
      edits={remote ? edits : null}
      busy={p.busy}
      apply={p.apply}
      note={
        <Text size="xs" c="dimmed">
          VirtDeck reaches the display through the SSH connection, so 127.0.0.1 is the safe listen address.
        </Text>
      }
    >
      <Facts rows={[['Password', g.hasPassword ? 'set' : 'none']]} />
      {remote && (
        <>
          <TextInput size="xs" w={300} label="Listen address" value={listen} onChange={(ev) => setListen(ev.currentTarget.value)} />
          <TextInput size="xs" w={300} label="Port" description="a number, or auto" value={port} onChange={(ev) => setPort(ev.currentTarget.value)} />
          <TextInput size="xs" w={300} type="password" label="New password" placeholder="unchanged" value={password} onChange={(ev) => setPassword(ev.currentTarget.value)} />
          {g.hasPassword && <Checkbox size="xs" label="Remove the password" checked={clearPassword} onChange={(ev) => setClearPassword(ev.currentTarget.checked)} />}
        </>
      )}
    </Panel>
  );
}
