// NICs: an emulated card (e1000, rtl8139…) becomes virtio-net. While the guest runs, only once it
// has shown QEMU that it drives a virtio NIC (DRIVER_OK on one): else the safe path adds a second,
// virtio NIC beside the emulated one (plugged into the running VM, on the same network) and the
// finding follows that NIC's state live. Without proof (not running), the OS name is the hint.

import { VIRTIO_NET_DRIVER, VIRTIO_NIC_MODELS, type NewNicSource } from '../devices/nic';
import { guestDriverHint } from '../devices/guest-driver';
import type { DomainEdit } from '../edits';
import type { DomainView, InterfaceView } from '../types';
import { STATE_WORDS, bitsOf, gate } from './gate';
import type { Finding, GuestDriverProof } from './types';

const isVirtio = (nic: InterfaceView) => nic.model != null && (VIRTIO_NIC_MODELS as readonly string[]).includes(nic.model);
const title = (nic: InterfaceView) => `NIC ${nic.index + 1} is an emulated ${nic.model ?? 'default'} card`;
const switchTo = (nic: InterfaceView): DomainEdit => ({ kind: 'set-nic-model', index: nic.index, model: 'virtio' });

/** The same connection as an existing NIC, for the proving NIC; null when it cannot be copied. */
function sameSource(nic: InterfaceView): NewNicSource | null {
  if (!nic.source) return null;
  if (nic.type === 'network') return { type: 'network', network: nic.source };
  if (nic.type === 'bridge') return { type: 'bridge', bridge: nic.source };
  if (nic.type === 'direct') return { type: 'direct', dev: nic.source, ...(nic.sourceMode ? { mode: nic.sourceMode as never } : {}) };
  return null;
}

export function nicFindings(view: DomainView, proof: GuestDriverProof | undefined, windows: boolean): Finding[] {
  const emulated = view.interfaces.filter((n) => !isVirtio(n));
  if (emulated.length === 0) return [];
  if (!proof) {
    return emulated.map((nic) => ({
      id: `nic-model:${nic.index}`,
      title: title(nic),
      reason: windows
        ? 'virtio-net is much faster, but Windows needs the NetKVM driver from virtio-win first, or the guest loses its network.'
        : 'An emulated card costs CPU for every packet; virtio-net is paravirtualized and much faster. Linux has the driver built in.',
      severity: windows ? 'warn' : 'info',
      edits: [switchTo(nic)],
      inApplyAll: !windows,
      ...(windows ? { fixLabel: 'Switch anyway' } : {}),
    }));
  }
  const g = gate(proof, (ref) => ref.tag === 'interface');
  if (g.kind === 'ready') {
    return emulated.map((nic) => ({
      id: `nic-model:${nic.index}`,
      title: title(nic),
      reason: `An emulated card costs CPU for every packet; virtio-net is paravirtualized and much faster. The guest drives the virtio NIC ${g.device.ref.id} (QEMU: DRIVER_OK), so this card can become virtio-net at the next boot (the guest sees a new card: its address settings may need redoing).`,
      severity: 'info',
      edits: [switchTo(nic)],
      inApplyAll: true,
    }));
  }
  const names = emulated.map((n) => `NIC ${n.index + 1} (${n.model ?? 'default'})`).join(', ');
  const hint = guestDriverHint(VIRTIO_NET_DRIVER, windows);
  const base = { id: 'nic-model-gate', severity: 'warn' as const, inApplyAll: false };
  if (g.kind === 'unknown') {
    return [{ ...base, title: `${names}: whether the guest drives virtio-net is unknown`, reason: `QEMU cannot say whether the guest started its driver for the virtio NIC ${g.device.ref.id}, so nothing proves the guest keeps its network on virtio-net. Make sure first (${hint}); switching anyway is your call.`, edits: emulated.map(switchTo), fixLabel: 'Switch anyway' }];
  }
  if (g.kind === 'waiting') {
    return [{ ...base, title: `${names}: the virtio NIC ${g.device.ref.id} has ${STATE_WORDS[g.device.state]} in the guest`, reason: `Not switched: QEMU says the guest has not started a driver for the virtio NIC ${g.device.ref.id} (${bitsOf(g.device)}), so the guest would lose its network. To go on, ${hint}; this follows that NIC's state live and offers the switch once it shows DRIVER_OK.`, edits: [] }];
  }
  const running = new Set(proof.devices.filter((d) => d.ref.tag === 'interface').map((d) => d.ref.id));
  const pending = view.interfaces.some((n) => isVirtio(n) && !running.has(n.mac?.toLowerCase() ?? ''));
  const source = sameSource(emulated[0]!);
  const edits: DomainEdit[] = pending || !source ? [] : [{ kind: 'add-nic', source, model: 'virtio' }];
  const reason = pending
    ? 'Not switched: the virtio NIC of the next boot is not in the running VM yet. Restart the VM; once the guest shows DRIVER_OK for it, the switch is offered.'
    : `Not switched: no virtio NIC is running, so nothing proves the guest has the driver, and it might lose its network. Safe path: ${source ? `add a second, virtio NIC on the same ${source.type} (plugged into the running VM)` : 'add a virtio NIC in "Add hardware"'}, ${hint} if it shows no driver, and the switch is offered once it shows DRIVER_OK.`;
  return [{ ...base, title: `${names}: the guest has not shown it drives virtio-net`, reason, edits, ...(edits.length ? { fixLabel: 'Add a virtio NIC' } : {}) }];
}
