// QEMU's own view through QMP, as pure readers of its JSON replies (the backend runs the commands
// through `virsh qemu-monitor-command`): the guest's virtio drivers, and what QEMU offers.
export { QmpError, commandNames, qmpReturn } from './reply';
export { DRIVER_STATE_TEXT, VIRTIO_COMMANDS, aliasOfPath, driverState, parseVirtioList, parseVirtioStatus, type GuestDriverState, type VirtioDevice, type VirtioStatus } from './virtio';
export { buildVirtioReport, deviceState, driverProof, notRunningReport, reportSignature, type VirtioDeviceReport, type VirtioReport } from './report';
export { blockWindow, parseBlockstats, type BlockStats, type BlockWindow } from './blockstats';
export { qmpView, type QmpView } from './views';
export { UNKNOWN_BY_PCI, balloonLastUpdate, fallbackReport, parsePciVirtio, virtioPciType, type PciVirtio } from './fallback';
