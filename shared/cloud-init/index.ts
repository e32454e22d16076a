// cloud-init for new VMs, as pure code: the NoCloud seed's files from the wizard's fields (and the
// admin's own #cloud-config, checked as YAML), the seed as an ISO 9660 image, the names cloud-init
// accepts, and the seed's place in the domain XML. The backend (electron/backend/cloud/) runs it.
export { buildSeedFiles, CloudInitError, fieldProblems, mergedCloudConfig, networkConfig, parseCloudConfig, previewUserData, type CloudInitFields, type CloudNetwork, type SeedFiles } from './config';
export { buildIso, isoLevel1Name, IsoError, type IsoFile } from './iso9660';
export { hostnameFromVmName, hostnameProblem, sshKeyProblem, userProblem } from './names';
export { addSeed, isSeedPath, NOCLOUD_SERIAL, removeSeed, seedTarget, seedVolumeName } from './domain';
export { expandDeployNames, type DeployPlanEntry } from './plan';
