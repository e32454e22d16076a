// Deleting VMs from the fleet: per VM and per disk, whether its storage goes too.
import { Checkbox, Loader, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { isSeedPath } from '../../../shared/cloud-init';
import type { VmDisk, VmSummary } from '../../../shared/contract';
import { api, runTask } from '../../app/api';
import { isContainer, isLxcTools, vmKey, vmRef } from '../../store/vm-ref';
import { ConfirmButtons } from '../../ui/ConfirmButtons';
import { vmStateLabel } from '../../ui/StateBadge';

type DeleteTarget = { vm: VmSummary; host: string };
/** Per VM: its disks once listed, or libvirt's message when listing failed. */
type DiskListing = { disks?: VmDisk[]; error?: string };

const targetKey = (t: DeleteTarget) => vmKey(t.vm);
// A VM's own cloud-init seed (a CD-ROM VirtDeck made for it) goes with it like a disk.
const hasStorage = (d: VmDisk) => (d.device === 'disk' || (d.device === 'cdrom' && isSeedPath(d.source))) && !!d.source;

/** Delete one or several VMs: each is listed with its disks, and the admin picks, per disk, whether
 *  its storage goes too (all disks with storage are ticked at first). CD-ROMs (but the VM's own
 *  cloud-init seed) and empty drives are never offered. Each VM is then deleted as its own task, so one failure names that VM. */
export function DeleteVmDialog({ targets, onClose }: { targets?: DeleteTarget[]; onClose: () => void }) {
  const [listings, setListings] = useState<Record<string, DiskListing>>({});
  /** targetKey -> disk targets whose storage is deleted. */
  const [chosen, setChosen] = useState<Record<string, Set<string>>>({});

  useEffect(() => {
    setListings({});
    setChosen({});
    if (!targets?.length) return;
    let live = true;
    for (const t of targets) {
      // A container has no disks: its root directory stays on the host.
      if (isContainer(t.vm)) {
        setListings((l) => ({ ...l, [targetKey(t)]: { disks: [] } }));
        continue;
      }
      void api.call('vm.disks', vmRef(t.vm)).then((o) => {
        if (!live) return;
        const key = targetKey(t);
        setListings((l) => ({ ...l, [key]: o.ok ? { disks: o.value } : { error: o.error.message } }));
        if (o.ok) setChosen((c) => ({ ...c, [key]: new Set(o.value.filter(hasStorage).map((d) => d.target)) }));
      });
    }
    return () => {
      live = false;
    };
  }, [targets]);

  if (!targets?.length) return null;
  const single = targets.length === 1;
  const title = single ? `Delete ${targets[0]!.vm.name}?` : `Delete ${targets.length} VMs?`;
  const loaded = targets.every((t) => listings[targetKey(t)]);
  const anyRunning = targets.some((t) => t.vm.state !== 'shutoff');
  return (
    <Modal opened onClose={onClose} title={title} size={single ? 'md' : 'lg'}>
      <Stack gap="sm">
        <Text size="sm">
          {single
            ? `${targets[0]!.vm.name} on ${targets[0]!.host} will be ${anyRunning ? 'forced off and ' : ''}removed from libvirt`
            : `These VMs will be ${anyRunning ? 'forced off if running and ' : ''}removed from libvirt`}
          , with {single ? 'its' : 'their'} managed save, snapshot and checkpoint metadata and NVRAM.
        </Text>
        {targets.some((t) => isLxcTools(t.vm)) && (
          <Text size="sm" c="red" role="note">
            LXC containers are destroyed with lxc-destroy: the container&apos;s root filesystem and config on the host go with it, for good.
          </Text>
        )}
        <Stack gap="xs" role="list" aria-label="VMs to delete" mah={420} style={{ overflowY: 'auto' }}>
          {targets.map((t) => {
            const key = targetKey(t);
            const listing = listings[key];
            const deletable = (listing?.disks ?? []).filter(hasStorage);
            const picked = chosen[key] ?? new Set<string>();
            const vmLabel = `${t.vm.name} on ${t.host}`;
            return (
              <Stack key={key} gap={4} role="listitem" aria-label={vmLabel}>
                {!single && (
                  <Text size="sm" fw={600}>
                    {vmLabel}
                    <Text span size="xs" c="dimmed">
                      {' '}
                      {t.vm.state === 'shutoff'
                        ? t.vm.reason === 'saved'
                          ? 'shut off with a saved state: the saved memory is deleted too'
                          : 'shut off'
                        : `${vmStateLabel(t.vm.state)}: will be forced off`}
                    </Text>
                  </Text>
                )}
                {listing?.error && (
                  <Text c="red" size="sm" role="alert">
                    {listing.error}
                  </Text>
                )}
                {!listing && <Loader size="sm" aria-label={`Loading disks of ${vmLabel}`} />}
                {listing?.disks && deletable.length === 0 && (
                  <Text size="sm" c="dimmed">
                    No disk with storage to delete.
                  </Text>
                )}
                {deletable.length > 0 && (
                  <Stack gap={2} role="group" aria-label={`Storage to delete of ${vmLabel}`} pl={single ? 0 : 'sm'}>
                    {single && (
                      <Text size="sm" fw={600}>
                        Also delete the storage of
                      </Text>
                    )}
                    {deletable.map((d) => (
                      <Checkbox
                        key={d.target}
                        size="sm"
                        label={`${d.target}: ${d.source}`}
                        description={d.backing?.length ? `with the ${d.backing.length} image${d.backing.length > 1 ? 's' : ''} below it (external snapshots): ${d.backing.join(', ')}` : undefined}
                        aria-label={`Delete storage of ${d.target} of ${vmLabel}`}
                        checked={picked.has(d.target)}
                        onChange={(e) => {
                          const next = new Set(picked);
                          if (e.currentTarget.checked) next.add(d.target);
                          else next.delete(d.target);
                          setChosen((c) => ({ ...c, [key]: next }));
                        }}
                      />
                    ))}
                  </Stack>
                )}
              </Stack>
            );
          })}
        </Stack>
        <ConfirmButtons
          label={single ? 'Delete' : `Delete ${targets.length} VMs`}
          disabled={!loaded}
          onCancel={onClose}
          onConfirm={() => {
            for (const t of targets) {
              const storage = [...(chosen[targetKey(t)] ?? [])];
              void runTask(`Delete ${t.vm.name} on ${t.host}`, 'vm.delete', { ...vmRef(t.vm), storage });
            }
          }}
        />
      </Stack>
    </Modal>
  );
}
