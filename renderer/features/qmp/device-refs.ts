// Which device-list entry of the hardware tab a device of the guest-driver report is.
import type { DeviceRef, DomainView } from '../../../shared/domain-xml';

/** The device a hardware-tab entry key ('disk:0', 'nic:1', 'controller:3', 'memballoon'…) stands
 *  for, as the report names devices (see shared/domain-xml/aliases.ts); null for non-devices. */
export function entryRef(key: string, v: DomainView): DeviceRef | null {
  const [kind, arg] = key.split(':') as [string, string | undefined];
  const i = Number(arg ?? 0);
  switch (kind) {
    case 'disk': {
      const t = v.disks[i]?.target;
      return t ? { tag: 'disk', id: t } : null;
    }
    case 'nic': {
      const mac = v.interfaces[i]?.mac;
      return mac ? { tag: 'interface', id: mac.toLowerCase() } : null;
    }
    case 'controller': {
      const c = v.controllers[i];
      return c ? { tag: 'controller', id: `${c.type ?? ''}:${c.index ?? 0}` } : null;
    }
    case 'memballoon':
      return { tag: 'memballoon', id: '0' };
    case 'video':
    case 'input':
    case 'rng':
    case 'filesystem':
    case 'vsock':
    case 'serial':
    case 'console':
      return { tag: kind, id: String(i) };
    default:
      return null;
  }
}
