// Storage pool XML: the kinds an admin creates (each asking only what it needs), the XML
// `virsh pool-define` gets for them, and the read of `virsh pool-dumpxml`.
import { all, attrOf, block, bytesOf, checkPath, checkStorageName, el, first, parseRoot, storageHead, StorageXmlError, text } from './xml';

export const POOL_KINDS = ['dir', 'fs', 'logical', 'netfs', 'iscsi'] as const;
export type PoolKind = (typeof POOL_KINDS)[number];

/** What a new pool is made of; which fields a kind reads is POOL_FIELDS[kind]. */
export interface PoolSpec {
  kind: PoolKind;
  name: string;
  /** Where the pool's volumes appear on the host (a folder; for logical /dev/VG, derived). */
  targetPath?: string;
  /** fs: the block device or partition; logical: the device(s) to build the volume group on. */
  sourceDevice?: string;
  /** fs: the file system type (auto, ext4, xfs …); netfs: nfs, auto … */
  sourceFormat?: string;
  /** netfs, iscsi: the server. */
  sourceHost?: string;
  /** netfs: the exported directory. */
  sourceDir?: string;
  /** logical: the volume group's name (default: the pool's). */
  sourceName?: string;
  /** iscsi: the target's IQN. */
  iqn?: string;
}

export type PoolField = Exclude<keyof PoolSpec, 'kind' | 'name'>;

export interface PoolFieldRule {
  field: PoolField;
  label: string;
  required: boolean;
  placeholder?: string;
  description?: string;
}

/** Per kind, the fields its form asks, in order. */
export const POOL_FIELDS: Readonly<Record<PoolKind, readonly PoolFieldRule[]>> = {
  dir: [{ field: 'targetPath', label: 'Folder on the host', required: true, placeholder: '/var/lib/libvirt/images/pool' }],
  fs: [
    { field: 'sourceDevice', label: 'Block device or partition', required: true, placeholder: '/dev/sdb1' },
    { field: 'sourceFormat', label: 'File system', required: false, placeholder: 'auto', description: 'auto, ext4, xfs … (libvirt mounts it)' },
    { field: 'targetPath', label: 'Mount point', required: true, placeholder: '/mnt/pool' },
  ],
  logical: [
    { field: 'sourceName', label: 'Volume group', required: false, description: 'an existing volume group, or the one to build (default: the pool name)' },
    { field: 'sourceDevice', label: 'Device to build it on', required: false, placeholder: '/dev/sdc', description: 'only to build a new volume group: its contents are lost' },
  ],
  netfs: [
    { field: 'sourceHost', label: 'NFS server', required: true, placeholder: 'nfs.example.com' },
    { field: 'sourceDir', label: 'Export', required: true, placeholder: '/srv/images' },
    { field: 'sourceFormat', label: 'Protocol', required: false, placeholder: 'nfs' },
    { field: 'targetPath', label: 'Mount point', required: true, placeholder: '/mnt/nfs-pool' },
  ],
  iscsi: [
    { field: 'sourceHost', label: 'iSCSI portal', required: true, placeholder: '192.0.2.50' },
    { field: 'iqn', label: 'Target IQN', required: true, placeholder: 'iqn.2024-01.com.example:target1' },
    { field: 'targetPath', label: 'Device folder', required: false, placeholder: '/dev/disk/by-path' },
  ],
};

const HOSTNAME = /^[A-Za-z0-9.:_[\]-]+$/;

function value(spec: PoolSpec, field: PoolField): string | undefined {
  const v = spec[field]?.trim();
  return v ? v : undefined;
}

/** The spec's fields for its kind, checked: required ones present, paths absolute, host names plain. */
function checked(spec: PoolSpec): Partial<Record<PoolField, string>> {
  if (!POOL_KINDS.includes(spec.kind)) throw new StorageXmlError(`unknown pool kind "${String(spec.kind)}"`);
  checkStorageName('A pool', spec.name);
  const out: Partial<Record<PoolField, string>> = {};
  for (const rule of POOL_FIELDS[spec.kind]) {
    const v = value(spec, rule.field);
    if (v === undefined) {
      if (rule.required) throw new StorageXmlError(`a ${spec.kind} pool needs: ${rule.label}`);
      continue;
    }
    if (rule.field === 'targetPath' || rule.field === 'sourceDevice' || rule.field === 'sourceDir') checkPath(rule.label, v);
    if (rule.field === 'sourceHost' && !HOSTNAME.test(v)) throw new StorageXmlError(`${rule.label} must be a host name or address`);
    if (rule.field === 'sourceName') checkStorageName('A volume group', v);
    if (rule.field === 'sourceFormat' && !/^[a-z0-9]+$/.test(v)) throw new StorageXmlError(`${rule.label} must be one word (e.g. auto)`);
    if (rule.field === 'iqn' && !/^(iqn|eui|naa)\.\S+$/.test(v)) throw new StorageXmlError(`${rule.label} must start with iqn., eui. or naa.`);
    out[rule.field] = v;
  }
  return out;
}

/** The `<pool>` XML for a spec; throws StorageXmlError naming what is missing or wrong. */
export function buildPoolXml(spec: PoolSpec): string {
  const f = checked(spec);
  const name = el('name', {}, spec.name);
  let source: string;
  let target: string | undefined = f.targetPath;
  switch (spec.kind) {
    case 'dir':
      source = '';
      break;
    case 'fs':
      source = block('source', [el('device', { path: f.sourceDevice }), el('format', { type: f.sourceFormat ?? 'auto' })]);
      break;
    case 'logical': {
      const vg = f.sourceName ?? spec.name;
      source = block('source', [f.sourceDevice && el('device', { path: f.sourceDevice }), el('name', {}, vg), el('format', { type: 'lvm2' })]);
      target = `/dev/${vg}`;
      break;
    }
    case 'netfs':
      source = block('source', [el('host', { name: f.sourceHost }), el('dir', { path: f.sourceDir }), el('format', { type: f.sourceFormat ?? 'nfs' })]);
      break;
    case 'iscsi':
      source = block('source', [el('host', { name: f.sourceHost }), el('device', { path: f.iqn })]);
      target = f.targetPath ?? '/dev/disk/by-path';
      break;
  }
  return block('pool', [name, source, target && block('target', [el('path', {}, target)])], { type: spec.kind }) + '\n';
}

/** `virsh pool-dumpxml`, read. */
export interface PoolXmlView {
  name: string;
  uuid: string | null;
  type: string;
  capacity: number | null;
  allocation: number | null;
  available: number | null;
  targetPath: string | null;
  source: { hosts: string[]; dir: string | null; devices: string[]; name: string | null; format: string | null };
}

export function parsePoolXml(xml: string): PoolXmlView {
  const pool = parseRoot(xml, 'pool');
  const src = first(pool, 'source');
  return {
    ...storageHead(pool, ''),
    uuid: text(first(pool, 'uuid')),
    available: bytesOf(first(pool, 'available')),
    targetPath: text(first(pool, 'target', 'path')),
    source: {
      hosts: all(src, 'host').flatMap((h) => attrOf(h, 'name') ?? []),
      dir: attrOf(first(src, 'dir'), 'path'),
      devices: all(src, 'device').flatMap((d) => attrOf(d, 'path') ?? []),
      name: text(first(src, 'name')),
      format: attrOf(first(src, 'format'), 'type'),
    },
  };
}

/** One line saying where a pool's storage comes from: "nfs.example.com:/srv", "vg0 on /dev/sdc" … */
export function describePoolSource(p: PoolXmlView): string {
  const s = p.source;
  const host = s.hosts[0];
  if (host && s.dir) return `${host}:${s.dir}`;
  if (host && s.devices[0]) return `${host} ${s.devices[0]}`;
  if (s.name && s.devices.length) return `${s.name} on ${s.devices.join(', ')}`;
  if (s.name) return s.name;
  if (s.devices.length) return s.devices.join(', ');
  return '';
}
