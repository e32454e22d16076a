// Storage pools and volumes of one host: the listing (with which VM uses each volume), pool and
// volume actions. Sizes are bytes.
import type { PoolKind, PoolSpec, VolumeFormat } from '../storage';

export type { PoolKind, PoolSpec, VolumeFormat };

export interface StoragePool {
  name: string;
  uuid: string | null;
  /** dir, fs, logical, netfs, iscsi … as libvirt names it. */
  type: string;
  active: boolean;
  autostart: boolean;
  persistent: boolean;
  capacity: number | null;
  allocation: number | null;
  available: number | null;
  targetPath: string | null;
  /** Where its storage comes from, in one line ("" for a plain folder). */
  source: string;
  /** The VMs using any of its volumes. */
  usedBy: string[];
}

export interface StorageVolume {
  pool: string;
  name: string;
  path: string | null;
  /** file, block, dir … */
  type: string;
  /** qcow2, raw, iso … (libvirt's probe) */
  format: string | null;
  capacity: number | null;
  allocation: number | null;
  backingPath: string | null;
  iso: boolean;
  usedBy: string[];
  /** Overlays (pool/name) on this volume. */
  backingOf: string[];
  orphan: boolean;
}

export interface HostStorage {
  hostId: string;
  pools: StoragePool[];
  /** The volumes of the active pools (an inactive pool's volumes cannot be listed). */
  volumes: StorageVolume[];
  at: number;
}

export type PoolAction = 'start' | 'stop' | 'autostart-on' | 'autostart-off' | 'refresh';

export interface StorageMethods {
  /** Every pool and volume of the host, with their users; also pushed as 'host.storage'. */
  'storage.list': { params: { hostId: string }; result: HostStorage };
  /** Follow the host's pool events while a window shows its storage (counted per call). */
  'storage.watch': { params: { hostId: string; watch: boolean }; result: null };
  /** Define a pool (its XML from the spec), build it when asked (mkdir / vgcreate on the device),
   *  start it and set autostart. A failure after the define undefines it again. */
  'pool.create': { params: { hostId: string; spec: PoolSpec; build: boolean; start: boolean; autostart: boolean }; result: HostStorage };
  'pool.action': { params: { hostId: string; pool: string; action: PoolAction }; result: HostStorage };
  /** Stop and undefine; with deleteContents every volume is deleted and the pool's storage
   *  removed too (pool-delete: the folder, or the volume group). Refused (code 'in-use', naming
   *  the VMs) while a defined VM uses a volume in it, unless force. */
  'pool.delete': { params: { hostId: string; pool: string; deleteContents: boolean; force: boolean }; result: HostStorage };
  'vol.create': {
    params: { hostId: string; pool: string; name: string; format: VolumeFormat; capacityBytes: number; preallocate: boolean; backingPath?: string };
    result: HostStorage;
  };
  /** Grow; shrinking is refused unless allowShrink (data past the new end is lost). */
  'vol.resize': { params: { hostId: string; pool: string; name: string; capacityBytes: number; allowShrink: boolean }; result: HostStorage };
  'vol.wipe': { params: { hostId: string; pool: string; name: string }; result: HostStorage };
  /** Refused (code 'in-use', naming the VMs) while a defined VM uses it, unless force. */
  'vol.delete': { params: { hostId: string; pool: string; name: string; force: boolean }; result: HostStorage };
  'vol.clone': { params: { hostId: string; pool: string; name: string; newName: string }; result: HostStorage };
}
