// What waits for the next boot: the running config compared with the next-boot config.
// libvirt's live XML carries runtime-only detail (aliases, pty paths, the VNC port, the expanded
// CPU, seclabels) that is not a pending change, so both sides are normalized first.
import { diffLines, type DiffLine, type DomainView } from '../../../../shared/domain-xml';

export function stripRuntime(xml: string): string {
  const s = xml
    .replace(/\r\n?/g, '\n')
    .replace(/<domain([^>]*?) id='\d+'/, '<domain$1')
    .replace(/^[ \t]*<seclabel type='dynamic'[\s\S]*?<\/seclabel>\n?/gm, '')
    .replace(/^[ \t]*<resource>[\s\S]*?<\/resource>\n?/gm, '')
    .replace(/ check='[a-z]+'/g, '')
    .replace(/ index='\d+'(?=\/?>)/g, (m, offset: number, all: string) => (/<source [^<]*$/.test(all.slice(Math.max(0, offset - 200), offset)) ? '' : m))
    .replace(/ tty='[^']*'/g, '')
    // An empty CD-ROM's format is dropped from the live config.
    .replace(/(<driver name='qemu') type='raw'\/>/g, '$1/>')
    .replace(/(<graphics [^>]*?)port='\d+'([^>]*autoport='yes')/g, "$1port='-1'$2");
  const lines = s
    .split('\n')
    .filter((l) => !/^\s*<(alias |backingStore\/>|target dev='vnet\d+'\/>|source path='\/dev\/pts\/)/.test(l))
    .filter((l) => !/^\s*<feature policy='require' name='(hypervisor|lahf_lm|x2apic|svm|vmx)'\/>/.test(l));
  // <x …>\n</x> left behind by a removed alias is <x …/> in the other config.
  return lines.join('\n').replace(/<([\w:-]+)([^<>]*?)>\n\s*<\/\1>/g, '<$1$2/>').trimEnd();
}

/** The diff of the running config (a) against the next-boot config (b); empty when nothing waits. */
export function pendingDiff(live: string | null, persistent: string): DiffLine[] {
  if (!live) return [];
  const d = diffLines(stripRuntime(live), stripRuntime(persistent));
  return d.some((l) => l.op !== ' ') ? d : [];
}

/** The device-list entries of a domain, each with a key and what decides whether it is pending. */
export interface DeviceEntry {
  key: string;
  label: string;
  group: string;
  signature: (v: DomainView) => unknown;
}

export function deviceEntries(v: DomainView): DeviceEntry[] {
  const out: DeviceEntry[] = [
    { key: 'overview', label: 'Overview', group: 'General', signature: (x) => [x.title, x.description] },
    { key: 'cpu', label: 'CPU', group: 'General', signature: (x) => [x.vcpus.max, x.cpu?.mode, x.cpu?.model, x.cpu?.topology] },
    { key: 'memory', label: 'Memory', group: 'General', signature: (x) => [x.memory.maxKiB, x.memory.currentKiB] },
    { key: 'boot', label: 'Boot', group: 'General', signature: (x) => [x.os.bootDevs, x.os.bootMenu] },
  ];
  for (const d of v.disks) {
    out.push({
      key: `disk:${d.index}`,
      label: `${d.device === 'cdrom' ? 'CD-ROM' : d.device === 'floppy' ? 'Floppy' : 'Disk'} ${d.target ?? d.index + 1}`,
      group: 'Storage',
      signature: (x) => {
        const y = x.disks[d.index];
        return y && [y.bus, y.target, y.driver.cache, y.driver.io, y.driver.discard, y.driver.detectZeroes, y.readonly, y.shareable, y.serial];
      },
    });
  }
  v.controllers.forEach((c, i) => {
    if (c.type === 'pci') return;
    out.push({
      key: `controller:${i}`,
      label: `Controller ${c.type ?? '?'} ${c.index ?? 0}${c.model ? ` (${c.model})` : ''}`,
      group: 'Storage',
      signature: (x) => x.controllers.filter((y) => y.type !== 'pci').map((y) => [y.type, y.index, y.model]),
    });
  });
  for (const n of v.interfaces) {
    out.push({
      key: `nic:${n.index}`,
      label: `NIC ${n.index + 1} (${n.model ?? 'default'})`,
      group: 'Network',
      signature: (x) => {
        const y = x.interfaces[n.index];
        return y && [y.model, y.mac, y.type, y.source];
      },
    });
  }
  v.graphics.forEach((g, i) => {
    out.push({
      key: `graphics:${i}`,
      label: `Display ${i + 1} (${g.type ?? '?'})`,
      group: 'Other',
      // Not the port: an autoport display gets a concrete one while it runs.
      signature: (x) => {
        const y = x.graphics[i];
        return y && [y.type, y.listen, y.hasPassword];
      },
    });
  });
  out.push({ key: 'memballoon', label: `Memory balloon (${v.memballoon?.model ?? 'none'})`, group: 'Other', signature: (x) => x.memballoon?.model ?? null });
  v.videos.forEach((vid, i) => {
    out.push({ key: `video:${i}`, label: `Video ${i + 1} (${vid.model ?? 'default'})`, group: 'Other', signature: (x) => x.videos[i]?.model ?? null });
  });
  v.inputs.forEach((x, i) => {
    out.push({ key: `input:${i}`, label: `Input ${x.type ?? '?'} (${x.bus ?? 'default'})`, group: 'Other', signature: (y) => [y.inputs[i]?.type, y.inputs[i]?.bus] });
  });
  v.serials.forEach((x, i) => {
    out.push({ key: `serial:${i}`, label: `Serial ${x.targetPort ?? i} (${x.type ?? '?'})`, group: 'Other', signature: (y) => [y.serials[i]?.type, y.serials[i]?.targetPort] });
  });
  v.consoles.forEach((x, i) => {
    out.push({ key: `console:${i}`, label: `Console ${i + 1} (${x.targetType ?? 'serial'})`, group: 'Other', signature: (y) => [y.consoles[i]?.targetType] });
  });
  v.channels.forEach((x, i) => {
    const label = x.targetName === 'org.qemu.guest_agent.0' ? 'Channel guest agent' : `Channel ${x.targetName ?? i + 1}`;
    out.push({ key: `channel:${i}`, label, group: 'Other', signature: (y) => [y.channels[i]?.targetName] });
  });
  v.rngs.forEach((x, i) => {
    out.push({ key: `rng:${i}`, label: `RNG ${i + 1} (${x.model ?? '?'})`, group: 'Other', signature: (y) => [y.rngs[i]?.model, y.rngs[i]?.backend] });
  });
  v.watchdogs.forEach((x, i) => {
    out.push({ key: `watchdog:${i}`, label: `Watchdog (${x.model ?? '?'})`, group: 'Other', signature: (y) => [y.watchdogs[i]?.model, y.watchdogs[i]?.action] });
  });
  out.push({ key: 'qmp', label: 'QEMU monitor (read-only)', group: 'Expert', signature: () => null });
  return out;
}

/** Keys of the entries whose running config differs from the next-boot config. */
export function pendingKeys(live: DomainView | null, persistent: DomainView): Set<string> {
  const keys = new Set<string>();
  if (!live) return keys;
  for (const e of deviceEntries(persistent)) {
    if (JSON.stringify(e.signature(live)) !== JSON.stringify(e.signature(persistent))) keys.add(e.key);
  }
  return keys;
}
