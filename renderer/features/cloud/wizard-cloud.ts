// What the New VM wizard does differently for a VM from a cloud image: the disk (an overlay on
// the image, or a copy) is named after the VM, the XML shown has the seed in it, and Create is
// cloud.create (the backend builds the seed and hashes the password).
import { addSeed, seedVolumeName } from '../../../shared/cloud-init';
import type { CloudInitInput, HostStorage } from '../../../shared/contract';
import { buildDomainXml, type NewVmSpec } from '../../../shared/new-vm';
import { api } from '../../app/api';
import type { CloudImageValue } from './CloudImageFields';

/** The VM's disk volume: its name, made safe of "/", as a qcow2 (an overlay is one; a copy keeps the image's format). */
export const cloudDiskName = (vm: string, c: CloudImageValue): string => `${vm.replace(/\//g, '_') || 'new-vm'}.${c.linked ? 'qcow2' : c.image.format === 'raw' ? 'img' : 'qcow2'}`;

export function cloudPreviewXml(spec: NewVmSpec, c: CloudImageValue, storage: HostStorage | undefined): string {
  const dir = storage?.pools.find((p) => p.name === c.image.pool)?.targetPath ?? c.image.pool;
  const xml = buildDomainXml({ ...spec, media: { kind: 'import' }, disk: { kind: 'existing', path: `${dir}/${cloudDiskName(spec.name, c)}`, format: c.linked ? 'qcow2' : c.image.format ?? 'qcow2' } });
  return addSeed(xml, `${dir}/${seedVolumeName(spec.name)}`).xml;
}

export function createCloudVm(hostId: string, spec: NewVmSpec, c: CloudImageValue, cloud: CloudInitInput, start: boolean) {
  return api.call('cloud.create', {
    hostId,
    spec,
    image: { pool: c.image.pool, volume: c.image.name },
    disk: { pool: c.image.pool, volume: cloudDiskName(spec.name, c), sizeGiB: c.sizeGiB, linked: c.linked },
    cloud,
    seedBuilder: c.seedBuilder,
    start,
  });
}
