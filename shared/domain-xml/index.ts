// Lossless libvirt domain XML: a typed read-only view and named edits applied to the DOM.
// Pure TypeScript (no Node, Electron or React): runs in the backend and in the renderer.

export { readDomain } from './read';
export { applyEdits } from './edits';
export type {
  BootDeviceRef, CpuMode, DeviceTag, DiskBus, DiskCache, DiskDetectZeroes, DiskDiscard, DiskIo, DomainEdit, DomainEditKind,
  MediaSource, MemballoonModel, NicSource, AddDisk, ConsoleTarget, InputBus, InputType, NewDiskSource, NewNicSource, OsBootDev, VideoModel, WatchdogAction, WatchdogModel,
} from './edits';
export type {
  CharDeviceView, ControllerView, DeviceAddress, DiskSource, DiskView, DomainView, GraphicsView, InputView, InterfaceView,
  RngView, VideoView, WatchdogView,
} from './types';
export { DISK_BUSES } from './disk-bus';
export { DEVICE_TAGS } from './domain';
export { diffLines, formatDiff, type DiffLine } from './diff';
export { deviceXml, deviceCount, type DevicePick } from './device-xml';
