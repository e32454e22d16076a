// The one contract between the renderer and the backend. Both transports (Electron IPC and the
// browser-mode WebSocket) carry exactly these requests, responses and pushed events.
//   hosts.ts, vms.ts, domain.ts, consoles.ts, storage.ts, snapshots.ts, nodedevs.ts, containers.ts, lxc.ts, networks.ts, new-vm.ts, clone.ts, qmp.ts, migration.ts  each area's data and methods
//   methods.ts                                the methods joined, their names, results and errors
//   events.ts                                 what the backend pushes
//   wire.ts                                   frames and messages between the processes
//   check.ts, params.ts                       each method's parameters checked at run time
export * from './hosts';
export * from './vms';
export * from './domain';
export * from './consoles';
export * from './nodedevs';
export * from './storage';
export * from './snapshots';
export * from './containers';
export * from './lxc';
export * from './transfers';
export * from './networks';
export * from './commands';
export * from './new-vm';
export * from './clone';
export * from './cloud';
export * from './qmp';
export * from './migration';
export * from './tuning';
export * from './prepare';
export * from './methods';
export * from './events';
export * from './wire';
export * from './params';
