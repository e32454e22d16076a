// Containers made with the LXC tools (lxc-create, lxc-start, lxc-attach …), which libvirt does not
// see. They join the fleet as VmSummary rows with driver 'lxc-tools' and go through vm.action,
// vm.delete and console.open like VMs; what only they have is here.
import type { BinfmtHandler } from '../lxc/binfmt';
import type { LxcConfigEntry } from '../lxc/config';

export type { BinfmtHandler } from '../lxc/binfmt';
export type { LxcConfigEntry } from '../lxc/config';

/** What the LXC tools say of a container beyond a VM's fields. */
export interface LxcFacts {
  /** The tool's own state word (RUNNING, FROZEN, STOPPED …). */
  toolState: string;
  pid?: number;
  memUsedKiB?: number;
  ipv4: string[];
  ipv6: string[];
  /** Its architecture is not the host's: it runs through QEMU user-mode emulation (binfmt). */
  emulated?: boolean;
  unprivileged?: boolean;
}

/** A host's LXC tools as the connection's user can use them. */
export interface LxcHostStatus {
  /** `lxc-ls` is installed. */
  tools: boolean;
  /** The user may run them as root (root itself, or `sudo -n`). */
  privileged: boolean;
  /** Why not, in the host's words, with what would fix it. */
  reason?: string;
  binfmt: { mounted: boolean; handlers: BinfmtHandler[] };
  /** The templates the host has (/usr/share/lxc/templates/lxc-*, without "lxc-"). */
  templates: string[];
  /** The host's bridges, for a container's NIC. */
  bridges: string[];
  /** The host's own architecture (uname -m). */
  hostArch?: string;
}

export interface LxcCreateRequest {
  hostId: string;
  name: string;
  template: 'busybox';
  /** As typed: MiB ("256") or with a unit ("1G"); empty for no limit. */
  memory?: string;
  /** A host bridge for the container's one NIC; none: no network. */
  bridge?: string;
  autostart?: boolean;
}

export interface LxcMethods {
  'lxc.host': { params: { hostId: string }; result: LxcHostStatus };
  /** lxc-create from a template; not started. */
  'lxc.create': { params: LxcCreateRequest; result: null };
  /** The container's config file, as text and keys. */
  'lxc.config': { params: { hostId: string; name: string }; result: { path: string; text: string; entries: LxcConfigEntry[] } };
}
