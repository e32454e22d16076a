// The wizard's state: the host's offer and storage, and the spec the steps edit. The OS choice
// re-applies its defaults (shared/new-vm); the XML on the last page is the builder's, as defined.
import { useEffect, useMemo, useState } from 'react';
import type { HostStorage, NewVmOffer, StorageVolume } from '../../../shared/contract';
import { buildDomainXml, DEFAULT_OS_ID, generateMac, macProblem, osDefaults, specProblems, withOsDefaults, type NewVmSpec, type OsChoice } from '../../../shared/new-vm';
import { api } from '../../app/api';
import { useStorage } from '../../store/storage';
import type { CloudImageValue as CloudImageChoice } from '../cloud/CloudImageFields';

export type MediaKind = 'iso' | 'import' | 'pxe' | 'cloud';

/** From a cloud image: the image, and the VM's disk made from it (an overlay or a copy). */
export type { CloudImageChoice };

export interface WizardState {
  offer?: NewVmOffer;
  storage?: HostStorage;
  error?: string;
  spec?: NewVmSpec;
  problems: string[];
  xml: string;
  isoVolumes: StorageVolume[];
  diskVolumes: StorageVolume[];
  /** Set while the VM is made from a cloud image (the spec then imports the image's overlay). */
  cloud?: CloudImageChoice;
  setCloud(patch: Partial<CloudImageChoice>): void;
  set(patch: Partial<NewVmSpec>): void;
  setOs(os: OsChoice): void;
  setMedia(kind: MediaKind): void;
  newMac(): void;
}

/** A volume's name as the new VM's disk: the VM's name, made safe of "/" (which volumes cannot hold). */
export const diskVolumeName = (vmName: string): string => `${vmName.replace(/\//g, '_') || 'new-vm'}.qcow2`;

function initialSpec(offer: NewVmOffer, storage: HostStorage): NewVmSpec {
  const os = offer.oses.find((o) => o.id === DEFAULT_OS_ID) ?? offer.oses[0]!;
  const d = osDefaults(os, offer.host);
  const iso = storage.volumes.find((v) => v.iso && v.path);
  const pool = storage.pools.find((p) => p.name === 'default' && p.active) ?? storage.pools.find((p) => p.active);
  const nic = offer.nicSources.find((s) => s.type === 'bridge') ?? offer.nicSources[0];
  const base: NewVmSpec = {
    name: '',
    os,
    arch: offer.host.arch,
    machine: offer.host.machines.includes('q35') ? 'q35' : offer.host.machines[0] ?? 'q35',
    domainType: offer.host.kvm ? 'kvm' : 'qemu',
    vcpus: Math.min(d.vcpus, Math.max(1, offer.host.cpus)),
    memoryMiB: d.memoryMiB,
    firmware: 'bios',
    secureBoot: false,
    tpm: false,
    media: iso?.path ? { kind: 'iso', path: iso.path } : { kind: 'pxe' },
    disk: pool ? { kind: 'new', pool: pool.name, volume: diskVolumeName(''), sizeGiB: d.diskGiB } : { kind: 'none' },
    diskBus: d.diskBus,
    nic: nic ? { type: nic.type === 'network' ? 'network' : 'bridge', source: nic.name, mac: generateMac(offer.macs), model: d.nicModel } : null,
    video: d.video,
    serialLog: true,
    autostart: false,
  };
  return withOsDefaults(base, os, offer.host);
}

export function useNewVm(hostId: string | null): WizardState {
  const [offer, setOffer] = useState<NewVmOffer>();
  const [error, setError] = useState<string>();
  const [spec, setSpec] = useState<NewVmSpec>();
  const [cloud, setCloudChoice] = useState<CloudImageChoice>();
  const storage = useStorage((s) => (hostId ? s.byHost[hostId] : undefined));

  useEffect(() => {
    setOffer(undefined);
    setSpec(undefined);
    setCloudChoice(undefined);
    setError(undefined);
    if (!hostId) return;
    let live = true;
    void Promise.all([api.call('newvm.offer', { hostId }), api.call('storage.list', { hostId })]).then(([o, s]) => {
      if (!live) return;
      if (!o.ok || !s.ok) return setError((!o.ok ? o.error : !s.ok ? s.error : undefined)?.message);
      useStorage.getState().set(s.value);
      setOffer(o.value);
      setSpec(initialSpec(o.value, s.value));
    });
    return () => {
      live = false;
    };
  }, [hostId]);

  const isoVolumes = useMemo(() => storage?.volumes.filter((v) => v.iso && v.path) ?? [], [storage]);
  const diskVolumes = useMemo(() => storage?.volumes.filter((v) => !v.iso && v.path && v.type === 'file') ?? [], [storage]);
  const problems = useMemo(() => {
    if (!spec || !offer) return [];
    const out = specProblems(spec, offer.host, offer.vmNames);
    const mac = spec.nic && macProblem(spec.nic.mac, offer.macs);
    if (mac) out.push(mac);
    if (spec.disk.kind === 'new' && storage?.volumes.some((v) => v.pool === (spec.disk as { pool: string }).pool && v.name === (spec.disk as { volume: string }).volume)) {
      out.push(`Pool "${spec.disk.pool}" already has a volume "${spec.disk.volume}"`);
    }
    return out;
  }, [spec, offer, storage]);
  const xml = useMemo(() => {
    if (!spec) return '';
    const pool = spec.disk.kind === 'new' ? storage?.pools.find((p) => p.name === (spec.disk as { pool: string }).pool) : undefined;
    const disk = spec.disk.kind === 'new' && pool?.targetPath ? { ...spec.disk, path: `${pool.targetPath}/${spec.disk.volume}` } : spec.disk;
    return buildDomainXml({ ...spec, disk });
  }, [spec, storage]);

  const set = (patch: Partial<NewVmSpec>) =>
    setSpec((s) => {
      if (!s) return s;
      const next = { ...s, ...patch };
      // The new disk's volume follows the VM's name until the admin names it.
      if (patch.name !== undefined && next.disk.kind === 'new' && next.disk.volume === diskVolumeName(s.name)) next.disk = { ...next.disk, volume: diskVolumeName(patch.name) };
      return next;
    });
  return {
    offer,
    storage,
    error,
    spec,
    problems,
    xml,
    isoVolumes,
    diskVolumes,
    cloud,
    setCloud: (patch) => setCloudChoice((c) => (c ? { ...c, ...patch } : c)),
    set,
    setOs: (os) =>
      setSpec((s) => {
        if (!s || !offer) return s;
        // Windows Setup loads virtio drivers from virtio-win's ISO: attached when a pool has one.
        const driverIso = (os.family === 'windows' ? isoVolumes.find((v) => /virtio-win/i.test(v.name))?.path : undefined) ?? undefined;
        return { ...withOsDefaults(s, os, offer.host), driverIso };
      }),
    setMedia: (kind) => {
      const image = diskVolumes.find((v) => /cloud/i.test(v.name)) ?? diskVolumes[0];
      setCloudChoice(kind === 'cloud' && image ? { image, linked: true, sizeGiB: Math.max(1, Math.ceil((image.capacity ?? 0) / 2 ** 30)), seedBuilder: 'auto' } : undefined);
      setSpec((s) => {
        if (!s) return s;
        if (kind === 'cloud') return { ...s, media: { kind: 'import' }, disk: image?.path ? { kind: 'existing', path: image.path, format: image.format ?? 'qcow2' } : s.disk };
        if (kind === 'iso') return { ...s, media: { kind: 'iso', path: isoVolumes[0]?.path ?? '' } };
        if (kind === 'pxe') return { ...s, media: { kind: 'pxe' } };
        const v = diskVolumes[0];
        return { ...s, media: { kind: 'import' }, disk: v?.path ? { kind: 'existing', path: v.path, format: v.format ?? 'raw' } : s.disk };
      });
    },
    newMac: () => setSpec((s) => (s?.nic && offer ? { ...s, nic: { ...s.nic, mac: generateMac(offer.macs) } } : s)),
  };
}
