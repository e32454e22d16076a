// The read-only view of a libvirt domain that the UI renders. Every field is what the XML says;
// absent elements/attributes are null (never a guessed default), so the UI can show "default".



/** An element's attributes, e.g. `{ type: 'pci', domain: '0x0000', bus: '0x04', slot: '0x00', function: '0x0' }`. */
export type DeviceAddress = Record<string, string>;

export interface DiskSource {
  file: string | null;
  dev: string | null;
  pool: string | null;
  volume: string | null;
  protocol: string | null;
  name: string | null;
  hosts: { name: string | null; port: string | null; transport: string | null; socket: string | null }[];
}

export interface DiskView {
  /** Position among the domain's <disk> elements. */
  index: number;
  /** disk | cdrom | floppy | lun (libvirt's default is disk). */
  device: string;
  /** file | block | network | volume | dir | nvme | vhostuser. */
  type: string | null;
  bus: string | null;
  /** <target dev>, the disk's name in edits (set-disk-bus, change-media…). */
  target: string | null;
  source: DiskSource | null;
  driver: {
    name: string | null;
    type: string | null;
    cache: string | null;
    io: string | null;
    discard: string | null;
    detectZeroes: string | null;
  };
  readonly: boolean;
  shareable: boolean;
  serial: string | null;
  bootOrder: number | null;
  address: DeviceAddress | null;
}

export interface ControllerView {
  /** Position among the domain's <controller> elements (what remove-device uses). */
  position: number;
  type: string | null;
  /** libvirt's controller index attribute. */
  index: number | null;
  model: string | null;
  address: DeviceAddress | null;
  /** Target names of the disks on this controller: by their drive address, else by bus defaults. */
  disks: string[];
}

export interface InterfaceView {
  /** Position among the domain's <interface> elements (what the set-nic-* edits use). */
  index: number;
  /** network | bridge | direct | user | ethernet | vhostuser | hostdev … */
  type: string | null;
  /** The network name, bridge name or host device, depending on type. */
  source: string | null;
  /** macvtap mode for direct (vepa, bridge, private, passthrough). */
  sourceMode: string | null;
  portgroup: string | null;
  model: string | null;
  mac: string | null;
  /** up | down; null when not given (libvirt's default is up). */
  link: string | null;
  bootOrder: number | null;
  address: DeviceAddress | null;
}

export interface GraphicsView {
  index: number;
  type: string | null;
  port: number | null;
  autoport: boolean | null;
  /** The listen address (attribute or first <listen type='address'>), null if none. */
  listen: string | null;
  /** The type of the first <listen> child (address, network, socket, none). */
  listenType: string | null;
  /** Whether a password is set; the value itself is deliberately not exposed. */
  hasPassword: boolean;
}

export interface VideoView {
  index: number;
  model: string | null;
  vram: number | null;
  ram: number | null;
  vgamem: number | null;
  heads: number | null;
  primary: boolean;
  accel3d: boolean;
}

export interface InputView {
  index: number;
  type: string | null;
  bus: string | null;
}

/** <serial>, <console>, <parallel> or <channel>. */
export interface CharDeviceView {
  index: number;
  type: string | null;
  targetType: string | null;
  targetPort: string | null;
  /** Channel name, e.g. org.qemu.guest_agent.0 (channels only). */
  targetName: string | null;
  /** Channels in the live XML: connected | disconnected (whether the guest side is open). */
  targetState: string | null;
  sourcePath: string | null;
}

export interface RngView {
  index: number;
  model: string | null;
  backendModel: string | null;
  /** The backend's device (e.g. /dev/urandom) for model='random'. */
  backend: string | null;
}

export interface WatchdogView {
  index: number;
  model: string | null;
  action: string | null;
}

export interface DomainView {
  /** The <domain type> hypervisor type: kvm, qemu, xen, test… */
  domainType: string | null;
  name: string | null;
  uuid: string | null;
  title: string | null;
  description: string | null;
  memory: {
    /** <currentMemory>, falling back to <memory> as libvirt does. */
    currentKiB: number | null;
    /** <memory>: the boot-time maximum. */
    maxKiB: number | null;
  };
  vcpus: {
    current: number | null;
    max: number | null;
  };
  cpu: {
    mode: string | null;
    match: string | null;
    model: string | null;
    topology: { sockets: number | null; dies: number | null; cores: number | null; threads: number | null } | null;
    /** How many guest NUMA cells <cpu><numa> defines (0 = none). */
    numaCells: number;
  } | null;
  /** Whether the domain has <numatune> (host NUMA placement of its memory). */
  numatune: boolean;
  os: {
    type: string | null;
    arch: string | null;
    machine: string | null;
    firmware: string | null;
    /** <os><boot dev> in order (hd, cdrom, network, fd). */
    bootDevs: string[];
    /** <bootmenu enable>: true/false, null when absent. */
    bootMenu: boolean | null;
    bootMenuTimeoutMs: number | null;
  };
  features: string[];
  disks: DiskView[];
  controllers: ControllerView[];
  interfaces: InterfaceView[];
  graphics: GraphicsView[];
  videos: VideoView[];
  memballoon: {
    model: string | null;
    /** Seconds between the guest's memory statistics reports; null (or 0) means none are sent. */
    statsPeriodS: number | null;
  } | null;
  inputs: InputView[];
  serials: CharDeviceView[];
  consoles: CharDeviceView[];
  channels: CharDeviceView[];
  rngs: RngView[];
  /** The first watchdog (libvirt allows more on some machines; see watchdogs). */
  watchdog: WatchdogView | null;
  watchdogs: WatchdogView[];
  tpms: TpmView[];
  /** Host directories shared with the guest (virtiofs, 9p). */
  filesystems: FilesystemView[];
  /** Host PCI/USB/SCSI devices passed through. */
  hostdevs: HostdevView[];
  sounds: SoundView[];
  /** USB redirectors (spicevmc: the SPICE client's USB devices). */
  redirdevs: RedirdevView[];
  /** The domain's vsock (libvirt allows one), or null. */
  vsock: VsockView | null;
  /** Whether the domain passes extra QEMU arguments (<qemu:commandline>). */
  hasQemuCommandline: boolean;
  metadata: {
    /** The children of <metadata> as written (trimmed), or null without <metadata>. */
    xml: string | null;
    /** The libosinfo OS id, e.g. http://microsoft.com/win/10. */
    libosinfoId: string | null;
  };
}

export interface TpmView {
  index: number;
  model: string | null;
  /** emulator (swtpm) | passthrough | external. */
  backendType: string | null;
  /** The TPM version the emulator offers (1.2 or 2.0). */
  backendVersion: string | null;
  /** The host TPM device a passthrough backend uses (e.g. /dev/tpm0). */
  device: string | null;
}

export interface SoundView {
  index: number;
  model: string | null;
}

export interface RedirdevView {
  index: number;
  /** usb. */
  bus: string | null;
  /** spicevmc (the SPICE client's devices) or a chardev type (tcp…). */
  type: string | null;
}

export interface VsockView {
  model: string | null;
  /** Whether libvirt picks a free CID at each start. */
  auto: boolean;
  /** The fixed (or, on a running VM, the picked) CID. */
  cid: number | null;
}

export interface FilesystemView {
  index: number;
  /** mount (a host directory) | file | block | ram | bind … */
  type: string | null;
  /** virtiofs, path (9p) … */
  driver: string | null;
  accessMode: string | null;
  /** The host directory (or file/device) shared. */
  source: string | null;
  /** The mount tag the guest uses. */
  target: string | null;
  readonly: boolean;
}

export interface HostdevView {
  index: number;
  mode: string | null;
  /** pci | usb | scsi | scsi_host | mdev. */
  type: string | null;
  /** Whether libvirt detaches the device from its host driver itself. */
  managed: boolean | null;
  /** The host device: its PCI/USB/SCSI address attributes, or a USB vendor/product id pair. */
  source: DeviceAddress | null;
  bootOrder: number | null;
}
