// Tag completion for the domain XML: the elements libvirt's domain schema allows where admins
// edit most (the top level and <devices>), with the attribute values that are a fixed list.
// Not the whole RNG: enough to complete what is typed often, never to refuse anything.
import type { ElementSpec } from '@codemirror/lang-xml';

const DEVICES = ['emulator', 'disk', 'controller', 'interface', 'input', 'graphics', 'video', 'sound', 'serial', 'console', 'channel', 'rng', 'tpm', 'filesystem', 'hostdev', 'redirdev', 'memballoon', 'watchdog', 'vsock', 'smartcard', 'hub', 'panic', 'shmem', 'iommu'];
const TOP = ['name', 'uuid', 'title', 'description', 'metadata', 'memory', 'currentMemory', 'maxMemory', 'memoryBacking', 'vcpu', 'vcpus', 'cputune', 'numatune', 'resource', 'os', 'features', 'cpu', 'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'pm', 'devices', 'seclabel', 'sysinfo', 'iothreads', 'blkiotune', 'memtune'];
const LIFECYCLE = ['destroy', 'restart', 'preserve', 'rename-restart', 'coredump-destroy', 'coredump-restart'];

const leaves = (names: string[]): ElementSpec[] => names.map((name) => ({ name }));

export const DOMAIN_SCHEMA: ElementSpec[] = [
  { name: 'domain', top: true, children: [...TOP], attributes: [{ name: 'type', values: ['kvm', 'qemu', 'lxc', 'xen', 'test'] }] },
  { name: 'devices', children: DEVICES },
  { name: 'disk', children: ['driver', 'source', 'target', 'backingStore', 'readonly', 'shareable', 'boot', 'address', 'serial', 'iotune', 'alias'], attributes: [{ name: 'type', values: ['file', 'block', 'network', 'volume', 'dir', 'nvme'] }, { name: 'device', values: ['disk', 'cdrom', 'floppy', 'lun'] }] },
  { name: 'interface', children: ['mac', 'source', 'model', 'target', 'link', 'mtu', 'boot', 'address', 'driver', 'alias'], attributes: [{ name: 'type', values: ['network', 'bridge', 'direct', 'user', 'ethernet', 'hostdev', 'vhostuser'] }] },
  { name: 'controller', attributes: [{ name: 'type', values: ['pci', 'scsi', 'usb', 'sata', 'ide', 'virtio-serial', 'ccid', 'xenbus'] }, 'index', 'model'] },
  { name: 'graphics', children: ['listen', 'image', 'gl'], attributes: [{ name: 'type', values: ['vnc', 'spice', 'sdl', 'rdp', 'dbus', 'egl-headless'] }, 'port', 'autoport', 'passwd'] },
  { name: 'on_poweroff', children: [], textContent: LIFECYCLE },
  { name: 'on_reboot', children: [], textContent: LIFECYCLE },
  { name: 'on_crash', children: [], textContent: LIFECYCLE },
  ...leaves([...TOP.filter((n) => !['devices', 'on_poweroff', 'on_reboot', 'on_crash'].includes(n)), ...DEVICES.filter((n) => !['disk', 'interface', 'controller', 'graphics'].includes(n))]),
];
