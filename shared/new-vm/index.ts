// A new VM: the wizard's spec, the OS's defaults, MACs and the domain XML built from them. Pure
// (no Node, React or Electron), so the wizard previews exactly what the backend defines, and other
// ways of making a VM (cloud images, templates) can build on it.
export { BALLOON_STATS_PERIOD_S, buildDomainXml, serialLogPath } from './build';
export { explainDefaults, osDefaults, withOsDefaults, type OsDefaults } from './defaults';
export { generateMac, macProblem } from './mac';
export { BUILTIN_OSES, DEFAULT_OS_ID, osCatalog, osFamily, parseOsinfoDetect, parseOsinfoQuery, wantsTpmAndUefi, type OsChoice, type OsFamily } from './os';
export { specProblems, vmNameProblem, type DiskBusChoice, type HostOffer, type InstallMedia, type NewVmDisk, type NewVmSpec, type NicModelChoice, type VideoChoice } from './spec';
export { rankPlacement, scoreHost, type PlacementFit, type PlacementHost, type PlacementNeed } from './placement';
