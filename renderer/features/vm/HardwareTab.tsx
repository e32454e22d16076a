// The hardware tab: the tuning advisor on top, the device list on the left, the selected device's
// editor on the right, and what waits for the next boot (pending) made visible.
import { Alert, Badge, Box, Group, Loader, NavLink, ScrollArea, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { VmRef } from '../../store/vm-ref';
import { AdvisorPanel } from './hardware/AdvisorPanel';
import { AddHardwareMenu } from './hardware/AddHardwareMenu';
import { EDITORS, GenericDeviceEditor } from './hardware/editors';
import { DiffBlock, LoadErrorAlert, NoticeView } from './hardware/Notices';
import { pendingChanges, pendingDiff } from '../../../shared/domain-xml';
import { deviceEntries, entryKey, pendingKeys } from './hardware/pending';
import type { EditorProps } from './hardware/Panel';
import { QmpPanel } from './hardware/QmpPanel';
import { useDomain } from './hardware/useDomain';
import { deviceState, driverProof } from '../../../shared/qmp';
import { DriverBadge, DriverLine } from '../qmp/DriverBadge';
import { entryRef } from '../qmp/device-refs';
import { useGuestDrivers } from '../qmp/useGuestDrivers';

export function HardwareTab({ vm }: { vm: VmRef }) {
  const d = useDomain(vm);
  const [selected, setSelected] = useState('overview');
  const entries = useMemo(() => (d.view && d.xml ? deviceEntries(d.view, d.xml.persistent) : []), [d.view, d.xml]);
  const items = useMemo(() => (d.xml ? pendingChanges(d.xml.running ? d.xml.live : null, d.xml.persistent) : []), [d.xml]);
  const pending = useMemo(() => (d.view ? pendingKeys(items, d.view) : new Set<string>()), [items, d.view]);
  const diff = useMemo(() => pendingDiff(items), [items]);
  const drivers = useGuestDrivers(vm, d.xml?.running ?? false);
  const driverOf = (entry: string) => {
    const ref = d.view ? entryRef(entry, d.view) : null;
    return ref ? deviceState(drivers.report, ref) : null;
  };

  if (d.loadError) return <LoadErrorAlert name={vm.name} message={d.loadError} />;
  if (!d.view || !d.xml) return <Loader size="sm" aria-label="Loading hardware" />;

  const current = entries.find((e) => e.key === selected) ? selected : 'overview';
  const [kind, arg] = current.split(':') as [string, string | undefined];
  const index = Number(arg ?? 0);
  const key = `${d.version}:${current}`;
  const ownDiff = pendingDiff(items.filter((i) => !i.removed && entryKey(i, d.view!) === current));
  const props: EditorProps = { view: d.view, xml: d.xml.persistent, pendingDiff: ownDiff, facts: d.facts, live: d.liveView, running: d.xml.running, busy: d.busy, apply: d.applyEdits };
  const Editor = EDITORS[kind] ?? (current.includes(':') ? GenericDeviceEditor(kind) : EDITORS.overview!);
  const editor = kind === 'qmp' ? <QmpPanel vm={vm} running={d.xml.running} /> : <Editor key={key} {...props} index={index} />;

  let group = '';
  return (
    <Box>
      {d.notice && <NoticeView notice={d.notice} onDismiss={d.dismiss} onReload={() => void d.reload().then(d.dismiss)} />}
      <AdvisorPanel view={d.view} facts={d.facts} guestDrivers={driverProof(drivers.report)} busy={d.busy} apply={d.applyEdits} />
      {diff.length > 0 && (
        <section aria-label="Pending until restart">
          <Alert color="yellow" p="xs" mb="sm" role="note" title="Pending until restart">
            <Text size="xs" mb={4}>
              The next boot will use a different configuration than the VM runs now (− running, + next boot):
            </Text>
            <DiffBlock diff={diff} label="Running vs next-boot configuration" />
          </Alert>
        </section>
      )}
      <Group align="start" wrap="nowrap" gap="md">
        <ScrollArea.Autosize mah={640} w={250} style={{ flexShrink: 0 }}>
          <AddHardwareMenu vm={vm} view={d.view} facts={d.facts} busy={d.busy} running={d.xml.running} apply={d.applyEdits} />
          <nav aria-label="Devices">
            {entries.map((e) => {
              const header = e.group !== group ? (group = e.group) : null;
              const driver = driverOf(e.key);
              return (
                <div key={e.key}>
                  {header && (
                    <Text size="xs" c="dimmed" fw={600} mt={6} ml={4}>
                      {header}
                    </Text>
                  )}
                  <Group gap={2} wrap="nowrap">
                  <NavLink
                    component="button"
                    label={e.label}
                    aria-label={pending.has(e.key) ? `${e.label}, pending until restart` : e.label}
                    active={e.key === current}
                    aria-current={e.key === current ? 'true' : undefined}
                    onClick={() => setSelected(e.key)}
                    py={3}
                    rightSection={
                      pending.has(e.key) ? (
                        <Badge size="xs" color="yellow" variant="light">
                          pending
                        </Badge>
                      ) : undefined
                    }
                  />
                  {driver && <DriverBadge label={e.label} device={driver} />}
                  </Group>
                </div>
              );
            })}
          </nav>
        </ScrollArea.Autosize>
        <Box style={{ flex: 1, minWidth: 0 }}>
          {ownDiff.length > 0 && (
            <Alert color="yellow" p="xs" mb="sm" role="note" title="This device: pending until restart">
              <DiffBlock diff={ownDiff} label="This device: running vs next boot" />
            </Alert>
          )}
          <DriverLine label={entries.find((e) => e.key === current)?.label ?? current} device={driverOf(current)} report={drivers.report} busy={drivers.busy} refresh={() => void drivers.refresh()} />
          {editor}
        </Box>
      </Group>
    </Box>
  );
}
