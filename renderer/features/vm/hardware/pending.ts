// The device list: one entry per device of the next-boot config (PCI controllers grouped in one),
// and which entries wait for the next boot, from the shared semantic comparison (pendingChanges).
import { DEVICE_TAGS, deviceCount, GUEST_AGENT_CHANNEL, type DomainView, type PendingItem } from '../../../../shared/domain-xml';

/** The device-list entries of a domain: a key (the one pendingChanges uses), a label and a group. */
export interface DeviceEntry {
  key: string;
  label: string;
  group: string;
}

export function deviceEntries(v: DomainView, xml: string): DeviceEntry[] {
  const out: DeviceEntry[] = [
    { key: 'overview', label: 'Overview', group: 'General' },
    { key: 'cpu', label: 'CPU', group: 'General' },
    { key: 'memory', label: 'Memory', group: 'General' },
    { key: 'boot', label: 'Boot', group: 'General' },
  ];
  for (const d of v.disks) {
    out.push({
      key: `disk:${d.index}`,
      label: `${d.device === 'cdrom' ? 'CD-ROM' : d.device === 'floppy' ? 'Floppy' : 'Disk'} ${d.target ?? d.index + 1}`,
      group: 'Storage',
    });
  }
  const pci = v.controllers.filter((c) => c.type === 'pci').length;
  // PCI controllers (root, root ports, bridges) are one grouped entry: libvirt adds them for the
  // slots the devices need, and admins rarely touch one alone.
  if (pci > 0) out.push({ key: 'pci', label: `PCI controllers (${pci})`, group: 'Storage' });
  v.controllers.forEach((c, i) => {
    if (c.type === 'pci') return;
    out.push({
      key: `controller:${i}`,
      label: `Controller ${c.type ?? '?'} ${c.index ?? 0}${c.model ? ` (${c.model})` : ''}`,
      group: 'Storage',
    });
  });
  v.filesystems.forEach((x, i) => {
    out.push({ key: `filesystem:${i}`, label: `Filesystem share ${x.target ?? i + 1} (${x.driver ?? '9p'})`, group: 'Storage' });
  });
  for (const n of v.interfaces) {
    out.push({
      key: `nic:${n.index}`,
      label: `NIC ${n.index + 1} (${n.model ?? 'default'})`,
      group: 'Network',
    });
  }
  v.graphics.forEach((g, i) => {
    out.push({
      key: `graphics:${i}`,
      label: `Display ${i + 1} (${g.type ?? '?'})`,
      group: 'Other',
    });
  });
  out.push({ key: 'memballoon', label: `Memory balloon (${v.memballoon?.model ?? 'none'})`, group: 'Other' });
  v.videos.forEach((vid, i) => {
    out.push({ key: `video:${i}`, label: `Video ${i + 1} (${vid.model ?? 'default'})`, group: 'Other' });
  });
  v.inputs.forEach((x, i) => {
    out.push({ key: `input:${i}`, label: `Input ${x.type ?? '?'} (${x.bus ?? 'default'})`, group: 'Other' });
  });
  v.serials.forEach((x, i) => {
    out.push({ key: `serial:${i}`, label: `Serial ${x.targetPort ?? i} (${x.type ?? '?'})`, group: 'Other' });
  });
  v.consoles.forEach((x, i) => {
    out.push({ key: `console:${i}`, label: `Console ${i + 1} (${x.targetType ?? 'serial'})`, group: 'Other' });
  });
  v.channels.forEach((x, i) => {
    const label = x.targetName === GUEST_AGENT_CHANNEL ? 'Channel guest agent' : `Channel ${x.targetName ?? i + 1}`;
    out.push({ key: `channel:${i}`, label, group: 'Other' });
  });
  v.rngs.forEach((x, i) => {
    out.push({ key: `rng:${i}`, label: `RNG ${i + 1} (${x.model ?? '?'})`, group: 'Other' });
  });
  v.watchdogs.forEach((x, i) => {
    out.push({ key: `watchdog:${i}`, label: `Watchdog (${x.model ?? '?'})`, group: 'Other' });
  });
  v.sounds.forEach((x, i) => {
    out.push({ key: `sound:${i}`, label: `Sound ${i + 1} (${x.model ?? '?'})`, group: 'Other' });
  });
  v.redirdevs.forEach((x, i) => {
    out.push({ key: `redirdev:${i}`, label: `USB redirector ${i + 1} (${x.type ?? '?'})`, group: 'Other' });
  });
  v.tpms.forEach((x, i) => {
    out.push({ key: `tpm:${i}`, label: `TPM ${i + 1} (${x.model ?? 'default'}${x.backendVersion ? ` ${x.backendVersion}` : ''})`, group: 'Other' });
  });
  if (v.vsock) out.push({ key: 'vsock:0', label: `vsock (CID ${v.vsock.auto ? 'auto' : (v.vsock.cid ?? '?')})`, group: 'Other' });
  v.hostdevs.forEach((x, i) => {
    out.push({ key: `hostdev:${i}`, label: `Host device ${i + 1} (${x.type ?? '?'})`, group: 'Other' });
  });
  for (const tag of DEVICE_TAGS) {
    if (EDITED_TAGS.has(tag)) continue;
    const n = deviceCount(xml, tag);
    for (let i = 0; i < n; i++) out.push({ key: `${tag}:${i}`, label: `${GENERIC_LABELS[tag] ?? tag} ${n > 1 ? i + 1 : ''}`.trim(), group: 'Other' });
  }
  out.push({ key: 'qmp', label: 'QEMU monitor (read-only)', group: 'Expert' });
  return out;
}

/** Kinds listed above with their own entries; every other device kind gets a generic entry. */
const EDITED_TAGS = new Set<string>([
  'emulator', 'disk', 'controller', 'interface', 'graphics', 'memballoon', 'video', 'input', 'serial', 'console', 'channel', 'rng', 'watchdog',
  'sound', 'redirdev', 'tpm', 'filesystem', 'vsock', 'hostdev',
]);

export const GENERIC_LABELS: Partial<Record<string, string>> = {
  sound: 'Sound', redirdev: 'USB redirector', redirfilter: 'USB redirection filter', smartcard: 'Smartcard', tpm: 'TPM', filesystem: 'Filesystem share',
  hostdev: 'Host device', memory: 'Memory device', iommu: 'IOMMU', vsock: 'vsock', panic: 'Panic notifier', shmem: 'Shared memory', hub: 'USB hub',
  parallel: 'Parallel port', lease: 'Lease', audio: 'Audio backend', crypto: 'Crypto device', pstore: 'pstore', nvram: 'NVRAM',
};

/** Entries that count as devices of `virsh dumpxml` (what the grouped PCI entry stands for counted). */
export function listedDeviceCount(entries: readonly DeviceEntry[], v: DomainView): number {
  const parts = new Set(['overview', 'cpu', 'memory', 'boot', 'qmp', 'pci']);
  return entries.filter((e) => !parts.has(e.key)).length + v.controllers.filter((c) => c.type === 'pci').length;
}

/** The device-list key of a pending item's element ('interface:0' is the list's 'nic:0'…). */
export function entryKey(item: PendingItem, v: DomainView): string {
  const [tag, pos] = item.key.split(':') as [string, string | undefined];
  if (pos === undefined) return tag;
  if (tag === 'interface') return `nic:${pos}`;
  if (tag === 'memballoon') return 'memballoon';
  if (tag === 'controller' && v.controllers[Number(pos)]?.type === 'pci') return 'pci';
  return item.key;
}

/** Keys of the entries whose running config differs from the next-boot config. */
export function pendingKeys(items: readonly PendingItem[], v: DomainView): Set<string> {
  return new Set(items.filter((i) => !i.removed).map((i) => entryKey(i, v)));
}
