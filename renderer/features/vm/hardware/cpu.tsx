// vCPUs (current and maximum), topology, and the CPU mode or named model the host offers.
import { Group, NativeSelect, NumberInput, Text } from '@mantine/core';
import { useState } from 'react';
import { CPU_MODES, type DomainEdit } from '../../../../shared/domain-xml';
import { DEFAULT, num, Panel, type EditorProps } from './Panel';

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
  const modes = [...new Set([...CPU_MODES, ...(v.cpu?.mode ? [v.cpu.mode] : [])])];
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
      editor={p}
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
