// One VM's domain XML for the hardware and XML tabs: load, apply (edits or whole XML) with the
// conflict check, and every write shown in the task pane with libvirt's message on failure.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApplyResult, HardwareFacts, Method, Params, VmXml } from '../../../../shared/contract';
import { readDomain, type DiffLine, type DomainEdit, type DomainView } from '../../../../shared/domain-xml';
import { snapshotFirstName } from '../../../../shared/snapshots';
import { api } from '../../../app/api';
import { useFleet } from '../../../store/fleet';
import type { VmRef } from '../../../store/vm-ref';
import { useTasks } from '../../../store/tasks';

/** A volume created for an added disk (vm.applyEdits creates it first, and deletes it again if libvirt refuses). */
export type NewVolume = NonNullable<Params<'vm.applyEdits'>['newVolumes']>[number];

/** How an apply is done: `snapshotFirst` takes a snapshot named after the change before writing. */
export interface ApplyOptions {
  snapshotFirst?: boolean;
}

/** Write edits (and create the volumes they need first), as a task; true when applied. */
export type ApplyWithVolumes = (what: string, edits: DomainEdit[], newVolumes?: NewVolume[], options?: ApplyOptions) => Promise<boolean>;

export type Notice =
  | { kind: 'applied'; what: string; appliedLive: string[]; liveErrors: string[] }
  | { kind: 'error'; what: string; message: string }
  | { kind: 'conflict'; what: string; diff: DiffLine[] }
  /** The host's checks warn; nothing written. `proceed` writes anyway (the person's explicit choice). */
  | { kind: 'confirm'; what: string; warnings: string[]; proceed: () => Promise<boolean> };

export interface DomainState {
  xml: VmXml | null;
  /** The persistent (next-boot) config as a typed view. */
  view: DomainView | null;
  /** The running config, while the VM runs. */
  liveView: DomainView | null;
  loadError: string | null;
  busy: boolean;
  notice: Notice | null;
  /** Bumped on every load, so editors can reset their fields. */
  version: number;
  /** What the host offers (CPU models, NUMA cells, volumes, networks); null until read. */
  facts: HardwareFacts | null;
  reload(): Promise<void>;
  applyEdits: ApplyWithVolumes;
  defineXml(what: string, xml: string): Promise<boolean>;
  dismiss(): void;
}

export function useDomain({ hostId, name, driver }: VmRef): DomainState {
  const [xml, setXml] = useState<VmXml | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [version, setVersion] = useState(0);
  const [facts, setFacts] = useState<HardwareFacts | null>(null);

  // Re-read with every load: a new volume or network shows up after the next apply or reload.
  // A container's driver: its XML reads and defines on the host's LXC driver ('lxc'); it has no
  // QEMU hardware facts (CPU models, volumes) to read.
  const lxc = driver === 'lxc' ? { driver } : {};
  useEffect(() => {
    let live = true;
    if (driver === 'lxc') return;
    void api.call('vm.hardwareFacts', { hostId, name }).then((r) => live && r.ok && setFacts(r.value));
    return () => {
      live = false;
    };
  }, [hostId, name, driver, version]);

  const reload = useCallback(async () => {
    const r = await api.call('vm.getXml', { hostId, name, ...lxc });
    if (r.ok) {
      setXml(r.value);
      setLoadError(null);
      setVersion((v) => v + 1);
    } else setLoadError(r.error.message);
  }, [hostId, name, driver]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const write = useCallback(
    async <M extends 'vm.applyEdits' | 'vm.defineXml'>(what: string, method: M, params: Params<M>): Promise<boolean> => {
      setBusy(true);
      const tasks = useTasks.getState();
      const id = tasks.begin(`${what}: ${name} on ${hostLabel(hostId)}`);
      const r = await api.call(method as Method, params as never);
      setBusy(false);
      tasks.addCommands(id, r.commands);
      if (!r.ok) {
        tasks.finish(id, r.error.message);
        setNotice({ kind: 'error', what, message: r.error.message });
        return false;
      }
      const result = r.value as ApplyResult;
      if (result.status === 'conflict') {
        // Keep what the user was looking at: they reload on purpose, after reading the diff.
        tasks.finish(id, 'Refused: the configuration changed on the host since it was loaded; nothing was written');
        setNotice({ kind: 'conflict', what, diff: result.diff });
        return false;
      }
      if (result.status === 'confirm') {
        tasks.finish(id, `Not written: ${result.warnings.join(' ')}`);
        setNotice({ kind: 'confirm', what, warnings: result.warnings, proceed: () => write(what, method, { ...params, acceptWarnings: true }) });
        return false;
      }
      setXml(result.xml);
      setVersion((v) => v + 1);
      tasks.finish(id);
      setNotice({ kind: 'applied', what, appliedLive: result.appliedLive, liveErrors: result.liveErrors });
      return true;
    },
    [hostId, name],
  );

  const applyEdits = useCallback(
    (what: string, edits: DomainEdit[], newVolumes?: NewVolume[], options?: ApplyOptions) =>
      xml
        ? write(what, 'vm.applyEdits', {
            hostId,
            name,
            baseXml: xml.persistent,
            edits,
            ...(newVolumes?.length ? { newVolumes } : {}),
            ...(options?.snapshotFirst ? { snapshotFirst: { name: snapshotFirstName(what, edits, new Date()), description: `Taken by VirtDeck before: ${what}` } } : {}),
          })
        : Promise.resolve(false),
    [write, xml, hostId, name],
  );
  const defineXml = useCallback(
    (what: string, next: string) => (xml ? write(what, 'vm.defineXml', { hostId, name, ...lxc, baseXml: xml.persistent, xml: next }) : Promise.resolve(false)),
    [write, xml, hostId, name, driver],
  );

  const view = useMemo(() => safeRead(xml?.persistent), [xml]);
  const liveView = useMemo(() => safeRead(xml?.live ?? undefined), [xml]);
  return { xml, view, liveView, facts, loadError, busy, notice, version, reload, applyEdits, defineXml, dismiss: () => setNotice(null) };
}

/** A domain XML read with `read` (a VM's or a container's view), or null when there is none or
 *  it does not parse. */
export function readOrNull<T>(xml: string | undefined, read: (xml: string) => T): T | null {
  if (!xml) return null;
  try {
    return read(xml);
  } catch {
    return null;
  }
}

const safeRead = (xml: string | undefined): DomainView | null => readOrNull(xml, readDomain);

function hostLabel(hostId: string): string {
  return useFleet.getState().hosts[hostId]?.config.label ?? hostId;
}
