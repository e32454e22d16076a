// Lossless libvirt domain XML: a typed read-only view and named edits applied to the DOM.
// Pure TypeScript (no Node, Electron or React): runs in the backend and in the renderer.
//
//   xml/      the lossless document (parse, serialize unchanged bytes, diff, device fragments)
//   devices/  one module per device kind: value lists, read, edits, live rule
//   parts/    the same for the domain's parts (cpu, memory, boot, numa, title/description)
//   advisor/  tuning findings built from the modules' value lists
//   edits.ts  the DomainEdit union and the handler per kind; live.ts what reaches a running VM

export { readDomain } from './read';
export { applyEdits } from './edits';
export { addedMacs, checkAgainstHost, formatMemory, type HostLimits, type InputVerdict, type MacUse } from './host-limits';
export type {
  BootDeviceRef, CpuMode, DeviceTag, DiskBus, DiskCache, DiskDetectZeroes, DiskDiscard, DiskIo, DomainEdit, DomainEditKind,
  MediaSource, MemballoonModel, NicSource, AddDisk, ConsoleTarget, InputBus, InputType, NewDiskSource, NewNicSource, OsBootDev, VideoModel, WatchdogAction, WatchdogModel,
  AddFilesystem, FilesystemAccessMode, HostdevSource, NewFilesystemDriver, SoundModel, TpmModel, TpmSpec, TpmVersion,
} from './edits';
export type {
  CharDeviceView, ControllerView, DeviceAddress, DiskSource, DiskView, DomainView, FilesystemView, GraphicsView, HostdevView, InputView,
  InterfaceView, RedirdevView, RngView, SoundView, TpmView, VideoView, VsockView, WatchdogView,
} from './types';
export { DEVICE_TAGS } from './domain';
export { diffLines, formatDiff, type DiffLine } from './xml/diff';
export { dedentFragment, deviceXml, deviceCount, type DevicePick } from './xml/device-xml';

// What reaches a running VM.
export {
  HOTPLUG_TAGS, LIVE_EDIT_KINDS, canHotplug, editLiveRule, isHotplugTag, isLiveEdit,
  type HotplugTag, type LiveEdit, type LiveEditKind, type LiveMode, type LiveRule,
} from './live';
export { QMP_QUERIES, type QmpQuery } from './qmp';

// Value lists, one per device or part (what validation accepts).
export { MAX_BALLOON_STATS_PERIOD_S, MEMBALLOON_MODELS, VIRTIO_MEMBALLOON_MODELS } from './devices/balloon';
export { CONSOLE_TARGETS, GUEST_AGENT_CHANNEL, MAX_SERIAL_PORTS } from './devices/chardev';
export { CONTROLLER_MODELS, CONTROLLER_TYPES, LSI_LIKE_SCSI_MODELS, VIRTIO_SCSI_MODELS } from './devices/controller';
export {
  DISK_BUSES, DISK_CACHES, DISK_DETECT_ZEROES, DISK_DISCARDS, DISK_FORMATS, DISK_IOS, HOTPLUG_DISK_BUSES, NEW_DISK_DEVICES, diskHotplugs,
} from './devices/disk';
export { FILESYSTEM_ACCESS_MODES, FILESYSTEM_DRIVERS, MAX_VIRTIOFS_TAG, NEW_FILESYSTEM_DRIVERS } from './devices/filesystem';
export { DEFAULT_GRAPHICS_LISTEN, GRAPHICS_TYPES, NETWORK_GRAPHICS_TYPES, NEW_GRAPHICS_TYPES } from './devices/graphics';
export { HOSTDEV_MODES, HOSTDEV_SUBSYSTEM_TYPES, hostdevHotplugs } from './devices/hostdev';
export { HOTPLUG_INPUT_BUSES, INPUT_BUSES, INPUT_TYPES, inputHotplugs } from './devices/input';
export {
  COMMON_NIC_MODELS, LINK_STATES, MACVTAP_MODES, NIC_MODELS, NIC_SOURCE_TYPES, VIRTIO_NIC_MODELS, type MacvtapMode, type NicModel,
} from './devices/nic';
export { redirdevHotplugs } from './devices/redirdev';
export { RNG_BACKENDS, RNG_MODELS, rngHotplugs, type RngBackend, type RngModel } from './devices/rng';
export { SOUND_MODELS } from './devices/sound';
export { TPM_BACKENDS, TPM_MODELS, TPM_VERSIONS } from './devices/tpm';
export { EMULATED_VIDEO_MODELS, VIDEO_MODELS, videoFollowsWindowSize, WINDOW_SIZED_VIDEO_MODELS } from './devices/video';
export { MAX_VSOCK_CID, MIN_VSOCK_CID } from './devices/vsock';
export { WATCHDOG_ACTIONS, WATCHDOG_MODELS } from './devices/watchdog';
export { BOOTABLE_DEVICES, OS_BOOT_DEVS } from './parts/boot';
export { CPU_MODES } from './parts/cpu';

// What waits for the next boot (the running config against the next-boot one, semantically).
export { DOMAIN_PARTS, pendingChanges, pendingDiff, type DomainPart, type PendingItem, type RuntimeState } from './pending';

// Tuning findings, each with the edits that fix it.
export { advise, applyAllEdits, isWindows, type DeviceRef, type Finding, type GuestDriverProof, type GuestDriverState, type HostFacts } from './advisor/index';
export { deviceAliases, deviceRefKey } from './aliases';
