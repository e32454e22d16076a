// The host's PCI and USB devices a VM can be given: `virsh nodedev-list --cap …` for the names,
// `nodedev-dumpxml` of each for its facts (XML, whatever the host's language).

import type { NodeDevice } from '../../../shared/contract/nodedevs.js';
import { parseNodeDevice } from '../../../shared/nodedev-xml/index.js';
import type { VirshRunner } from './domain-editor.js';

const CAPS = ['pci', 'usb_device'] as const;

export async function listNodeDevices(virsh: VirshRunner): Promise<NodeDevice[]> {
  const names = (await Promise.all(CAPS.map((cap) => virsh.run(['nodedev-list', '--cap', cap]))))
    .flatMap((out) => out.split('\n').map((l) => l.trim()))
    .filter((l) => l !== '');
  const devices = await Promise.all(
    // A device unplugged between the list and its dump is simply not offered.
    [...new Set(names)].map((name) => virsh.run(['nodedev-dumpxml', name]).then(parseNodeDevice, () => null)),
  );
  return devices.filter((d): d is NodeDevice => d !== null);
}
