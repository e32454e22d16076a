// Snapshots of a domain: the XML libvirt gives and takes, the tree, and internal-or-external.
export { parseBlockJobRaw, parseLibvirtVersion, parseSnapshotXml, versionAtLeast } from './parse';
export { buildSnapshot, defaultSnapshotName, planDomain, planSnapshot, snapshotNameProblem, type PlanDomain, type SnapshotCommand } from './plan';
export { descendants, flattenTree, snapshotTree, type SnapshotNode } from './tree';
export { isRiskyEdit, snapshotFirstName } from './first';
