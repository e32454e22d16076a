// VMs from a cloud image with cloud-init, and deployments of a template with cloud-init per VM:
// the NoCloud seed is built (on the host with cloud-localds/xorriso/genisoimage, else by VirtDeck
// as an ISO 9660 image), put in the disk's pool, attached as a SCSI CD-ROM with ds=nocloud in the
// SMBIOS serial, and detached (and deleted) once the guest has read it on its first boot.
import type { CloudNetwork } from '../cloud-init';
import type { NewVmSpec } from '../new-vm';

export type { CloudNetwork };

/** The cloud-init fields as the wizard sends them: the password in clear (over the local
 *  transport only), hashed by the backend on this machine before anything leaves it. */
export interface CloudInitInput {
  hostname: string;
  user?: string;
  sshKeys: string[];
  password?: string;
  packages?: string[];
  runOnce?: string;
  network?: CloudNetwork;
  /** The admin's own #cloud-config, merged over the fields. */
  userData?: string;
}

/** Who builds the seed ISO: the host's tools when it has one (as virt-install does), or VirtDeck. */
export type SeedBuilder = 'auto' | 'virtdeck';

export interface CloudCreateParams {
  hostId: string;
  /** The VM as the wizard made it; its media and disk are replaced by the image's overlay or copy. */
  spec: NewVmSpec;
  /** The cloud image (qcow2 or raw) in a pool of the host. */
  image: { pool: string; volume: string };
  /** The VM's disk: a qcow2 overlay on the image (linked) or a copy, grown to sizeGiB. */
  disk: { pool: string; volume: string; sizeGiB: number; linked: boolean };
  cloud: CloudInitInput;
  seedBuilder?: SeedBuilder;
  start: boolean;
}

export interface CloudDeployParams {
  hostId: string;
  /** A template on that host. */
  template: string;
  name: string;
  linked: boolean;
  cloud: CloudInitInput;
  seedBuilder?: SeedBuilder;
  start: boolean;
}

export interface CloudVmResult {
  hostId: string;
  name: string;
  hostname: string;
  macs: string[];
  /** The disk volumes made (pool/name). */
  volumes: string[];
  seed: { pool: string; volume: string; builder: string };
  /** What was done, in order. */
  steps: string[];
  startError?: string;
}

/** A public key offered for the VM: from the laptop's ~/.ssh/*.pub or its SSH agent. */
export interface LocalSshKey {
  key: string;
  from: string;
}

export interface CloudMethods {
  /** Checks everything (fields, #cloud-config YAML with its line, names) before it makes anything;
   *  a failed step removes what the request had made, and the error says which step. */
  'cloud.create': { params: CloudCreateParams; result: CloudVmResult };
  'cloud.deploy': { params: CloudDeployParams; result: CloudVmResult };
  'cloud.localKeys': { params: Record<string, never>; result: LocalSshKey[] };
}
