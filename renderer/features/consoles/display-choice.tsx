// Which display a VM's graphical console shows when it has both VNC and SPICE: the person's
// choice, remembered per VM (in this browser profile / app window storage). A SPICE-only VM is
// shown over SPICE, and the one edit that gives it a VNC display too stays on offer.
import { Button, Group, SegmentedControl, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { GraphicalKind } from '../../../shared/contract';
import { api } from '../../app/api';
import { vmRef, type VmRef } from '../../store/vm-ref';

const storageKey = (vm: VmRef) => `virtdeck.display.${vm.hostId}.${vm.name}`;

function remembered(vm: VmRef): GraphicalKind {
  try {
    return localStorage.getItem(storageKey(vm)) === 'spice' ? 'spice' : 'vnc';
  } catch {
    return 'vnc';
  }
}

/** The display to show, and a setter that remembers the person's choice (not an automatic fallback). */
export function useDisplayChoice(vm: VmRef): [GraphicalKind, (d: GraphicalKind, remember?: boolean) => void] {
  const [display, setDisplay] = useState<GraphicalKind>(() => remembered(vm));
  const set = useCallback(
    (d: GraphicalKind, remember = true) => {
      setDisplay(d);
      if (!remember) return;
      try {
        localStorage.setItem(storageKey(vm), d);
      } catch {
        /* storage unavailable: the choice lasts for this view */
      }
    },
    [vm],
  );
  return [display, set];
}

export function DisplayChoice(props: { display: GraphicalKind; displays: GraphicalKind[]; onChange(d: GraphicalKind): void }) {
  if (!(props.displays.includes('vnc') && props.displays.includes('spice'))) return null;
  return (
    <SegmentedControl
      size="xs"
      aria-label="Display"
      value={props.display}
      onChange={(v) => props.onChange(v as GraphicalKind)}
      data={[
        { value: 'vnc', label: 'VNC' },
        { value: 'spice', label: 'SPICE' },
      ]}
    />
  );
}

/** A SPICE-only VM: offer a VNC display beside it (written to the definition, seen at next boot). */
export function AddVncDisplay({ vm }: { vm: VmRef }) {
  const [result, setResult] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function addVnc(): Promise<void> {
    setBusy(true);
    const xml = await api.call('vm.getXml', vmRef(vm));
    const applied = xml.ok
      ? await api.call('vm.applyEdits', {
          ...vmRef(vm),
          baseXml: xml.value.persistent,
          edits: [{ kind: 'add-device', xml: "<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>" }],
        })
      : xml;
    setBusy(false);
    if (!applied.ok) setResult(applied.error.message);
    else if (applied.value.status === 'conflict') setResult('The VM changed meanwhile; nothing was written. Try again.');
    else setResult('A VNC display was added; it appears when the VM next starts.');
  }
  return (
    <Group gap="xs">
      <Text size="xs" c="dimmed">
        {vm.name} has only a SPICE display.
      </Text>
      <Button size="compact-xs" variant="default" onClick={() => void addVnc()} loading={busy} disabled={result !== undefined}>
        Add a VNC display
      </Button>
      {result && (
        <Text size="xs" role="status">
          {result}
        </Text>
      )}
    </Group>
  );
}
