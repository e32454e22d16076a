// Cloning a VM (virt-clone's semantics) and templates, as pure code: names from a pattern, new
// MACs, the disk plan and the clone's domain XML. The backend (electron/backend/libvirt/clone.ts)
// runs it against a host.
export { CloneInputError, MAX_CLONES, checkVmName, expandNamePattern, type NamePattern } from './names';
export { LIBVIRT_MAC_PREFIX, newMac } from './mac';
export { cloneVolumeName, planDisks, type DiskAction } from './disks';
export { cloneDomainXml, nvramOf, type CloneSpec, type NewDiskSource } from './clone-xml';
export { TEMPLATE_ELEMENT, TEMPLATE_XPATH, VIRTDECK_TEMPLATE_KEY, VIRTDECK_TEMPLATE_NS, isTemplateXml, xpathFoundTemplate } from './template';
