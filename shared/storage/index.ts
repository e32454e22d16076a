// Storage pools and volumes: their XML (built for define/create, read from dumpxml) and which VM
// uses which volume. Pure TypeScript: runs in the backend and in the renderer (the pool form
// shows the XML it will define).
export { POOL_FIELDS, POOL_KINDS, buildPoolXml, describePoolSource, parsePoolXml, type PoolField, type PoolFieldRule, type PoolKind, type PoolSpec, type PoolXmlView } from './pool-xml';
export { VOLUME_FORMATS, buildVolumeXml, isIsoVolume, isThin, parseVolumeXml, volumeRules, type VolumeFormat, type VolumeSpec, type VolumeXmlView } from './vol-xml';
export { normalPath, poolUsers, volumeKey, volumeUses, type DiskRef, type DomainDisks, type VolumeRef, type VolumeUse } from './usage';
export { StorageXmlError, checkStorageName } from './xml';
