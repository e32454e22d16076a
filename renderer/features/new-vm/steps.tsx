// The wizard's pages: install media, OS, CPU/memory/firmware, storage and network. Each edits
// the spec through the wizard state (use-new-vm.ts); limits come from the host's offer.
import { Button, Checkbox, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import type { StorageVolume } from '../../../shared/contract';
import type { NewVmSpec } from '../../../shared/new-vm';
import { Choice } from '../../ui/Choice';
import { IsoUpload } from './IsoUpload';
import { CloudImageFields } from '../cloud/CloudImageFields';
import { diskVolumeName, type MediaKind, type WizardState } from './use-new-vm';

const GiB = 2 ** 30;
const gib = (bytes: number | null | undefined) => (bytes == null ? '?' : bytes < GiB ? `${Math.round(bytes / 2 ** 20)} MiB` : `${(bytes / GiB).toFixed(1)} GiB`);
const volumeOption = (v: { pool: string; name: string; path: string | null; capacity: number | null }) => ({ value: v.path!, label: `${v.pool}/${v.name} (${gib(v.capacity)})` });

type StepProps = { w: WizardState; spec: NewVmSpec };

const existingDisk = (v: StorageVolume): NewVmSpec['disk'] => ({ kind: 'existing', path: v.path ?? '', format: v.format ?? 'raw' });

/** A searchable pick of one of the host's volumes, by path. */
function VolumeSelect(p: { label: string; volumes: StorageVolume[]; value: string | undefined; onPick: (v: StorageVolume) => void; description?: string }) {
  return (
    <Select
      label={p.label}
      aria-label={p.label}
      searchable
      data={p.volumes.map(volumeOption)}
      value={p.value || null}
      onChange={(path) => {
        const v = p.volumes.find((x) => x.path === path);
        if (v?.path) p.onPick(v);
      }}
      nothingFoundMessage="No such volume in this host's pools"
      description={p.description}
    />
  );
}

export function MediaStep({ w, spec }: StepProps) {
  const pxeNets = w.offer?.nicSources.filter((s) => s.pxe) ?? [];
  const options: Array<readonly [MediaKind, string]> = [
    ['iso', 'ISO in a pool'],
    ['import', 'Import a disk image'],
    ['pxe', 'Network boot (PXE)'],
    ['cloud', 'From a cloud image'],
  ];
  return (
    <Stack gap="sm">
      <Choice<MediaKind> label="Install media" value={w.cloud ? 'cloud' : spec.media.kind} onChange={w.setMedia} options={options} />
      {w.cloud && <CloudImageFields images={w.diskVolumes} value={w.cloud} onChange={w.setCloud} />}
      {spec.media.kind === 'iso' && (
        <VolumeSelect
          label="ISO volume"
          volumes={w.isoVolumes}
          value={spec.media.path}
          onPick={(v) => w.set({ media: { kind: 'iso', path: v.path! } })}
          description={w.isoVolumes.length ? undefined : 'No ISO volume in the active pools yet: upload one below.'}
        />
      )}
      {spec.media.kind === 'iso' && w.offer && <IsoUpload w={w} hostId={w.offer.hostId} />}
      {spec.media.kind === 'import' && !w.cloud && (
        <VolumeSelect
          label="Disk image to import"
          volumes={w.diskVolumes}
          value={spec.disk.kind === 'existing' ? spec.disk.path : undefined}
          onPick={(v) => w.set({ disk: existingDisk(v) })}
          description="The VM boots this volume as it is (nothing is installed or copied)."
        />
      )}
      {spec.media.kind === 'pxe' && (
        <Text size="sm" c={pxeNets.length ? undefined : 'orange'}>
          {pxeNets.length ? `Boots from the network first: ${pxeNets.map((n) => n.name).join(', ')} offer DHCP.` : 'No active libvirt network with DHCP on this host: a PXE boot needs a DHCP/TFTP server on the NIC’s network.'}
        </Text>
      )}
    </Stack>
  );
}

export function OsStep({ w, spec }: StepProps) {
  const oses = w.offer?.oses ?? [];
  return (
    <Stack gap="sm">
      <Select
        label="Operating system"
        aria-label="Operating system"
        searchable
        data={oses.map((o) => ({ value: o.id, label: `${o.name} (${o.shortId})` }))}
        value={spec.os.id}
        onChange={(id) => {
          const os = oses.find((o) => o.id === id);
          if (os) w.setOs(os);
        }}
        description={w.offer?.osinfo ? "From the host's libosinfo database (osinfo-query)." : 'The host has no osinfo-query (libosinfo-bin): a short built-in list.'}
        limit={200}
      />
      {spec.os.family === 'windows' && (
        <Select
          label="Driver ISO (a second CD-ROM)"
          aria-label="Driver ISO"
          clearable
          data={w.isoVolumes.map(volumeOption)}
          value={spec.driverIso ?? null}
          onChange={(path) => w.set({ driverIso: path ?? undefined })}
          description="virtio-win's drivers for Windows Setup and for moving to virtio later; picked when a pool holds one."
        />
      )}
      <Text size="sm">The OS decides the defaults: {spec.os.family === 'windows' ? 'SATA disk, e1000e NIC, QXL video, Hyper-V enlightenments' : 'virtio disk and NIC, virtio video, balloon, RNG and guest agent'}.</Text>
    </Stack>
  );
}

export function CpuStep({ w, spec }: StepProps) {
  const h = w.offer!.host;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed" aria-label="Host limits">
        Host: {h.cpus} CPUs, {Math.floor(h.memoryFreeKiB / 1024)} MiB free of {Math.floor(h.memoryKiB / 1024)} MiB, {h.numaCells} NUMA cell{h.numaCells === 1 ? '' : 's'}, {h.kvm ? 'KVM' : 'no KVM (TCG emulation)'}
      </Text>
      <Group grow>
        <NumberInput label="vCPUs" aria-label="vCPUs" min={1} max={h.cpus || undefined} allowDecimal={false} value={spec.vcpus} onChange={(v) => w.set({ vcpus: Number(v) })} />
        <NumberInput label="Memory (MiB)" aria-label="Memory (MiB)" min={16} step={256} allowDecimal={false} value={spec.memoryMiB} onChange={(v) => w.set({ memoryMiB: Number(v) })} />
      </Group>
      <Group grow>
        <Select label="Machine" aria-label="Machine" data={h.machines} value={spec.machine} onChange={(m) => m && w.set({ machine: m })} allowDeselect={false} />
        <Select
          label="Firmware"
          aria-label="Firmware"
          data={[{ value: 'bios', label: 'BIOS' }, { value: 'uefi', label: h.uefi ? 'UEFI (OVMF)' : 'UEFI (not installed)', disabled: !h.uefi }]}
          value={spec.firmware}
          onChange={(f) => f && w.set({ firmware: f as 'bios' | 'uefi', secureBoot: f === 'uefi' && spec.secureBoot })}
          allowDeselect={false}
        />
      </Group>
      <Checkbox label="Secure Boot" disabled={spec.firmware !== 'uefi' || !h.secureBoot} checked={spec.secureBoot} onChange={(e) => w.set({ secureBoot: e.currentTarget.checked })} />
      <Checkbox label={`TPM 2.0 (emulated${h.tpmEmulator ? '' : ': swtpm is not installed'})`} disabled={!h.tpmEmulator} checked={spec.tpm} onChange={(e) => w.set({ tpm: e.currentTarget.checked })} />
    </Stack>
  );
}

export function StorageNetworkStep({ w, spec }: StepProps) {
  const pools = w.storage?.pools.filter((p) => p.active) ?? [];
  const importing = spec.media.kind === 'import';
  const diskKind = spec.disk.kind;
  const nicSources = w.offer?.nicSources ?? [];
  return (
    <Stack gap="sm">
      {!importing && (
        <Choice<'new' | 'existing' | 'none'>
          label="Disk"
          value={diskKind}
          onChange={(k) =>
            w.set({
              disk:
                k === 'new'
                  ? { kind: 'new', pool: pools[0]?.name ?? 'default', volume: diskVolumeName(spec.name), sizeGiB: spec.os.family === 'windows' ? 64 : 16 }
                  : k === 'existing' && w.diskVolumes[0]
                    ? existingDisk(w.diskVolumes[0])
                    : { kind: 'none' },
            })
          }
          options={[['new', 'New volume'], ['existing', 'Existing volume'], ['none', 'No disk']]}
        />
      )}
      {spec.disk.kind === 'new' && (
        <Group grow align="flex-start">
          <Select
            label="Pool"
            aria-label="Pool"
            data={pools.map((p) => ({ value: p.name, label: `${p.name} (${gib(p.available)} free)` }))}
            value={spec.disk.pool}
            onChange={(pool) => pool && spec.disk.kind === 'new' && w.set({ disk: { ...spec.disk, pool } })}
            allowDeselect={false}
          />
          <TextInput label="Volume name" aria-label="Volume name" value={spec.disk.volume} onChange={(e) => spec.disk.kind === 'new' && w.set({ disk: { ...spec.disk, volume: e.currentTarget.value } })} />
          <NumberInput label="Size (GiB)" aria-label="Disk size (GiB)" min={0.01} decimalScale={2} value={spec.disk.sizeGiB} onChange={(v) => spec.disk.kind === 'new' && w.set({ disk: { ...spec.disk, sizeGiB: Number(v) } })} />
        </Group>
      )}
      {spec.disk.kind === 'existing' && !importing && <VolumeSelect label="Existing volume" volumes={w.diskVolumes} value={spec.disk.path} onPick={(v) => w.set({ disk: existingDisk(v) })} />}
      <Select label="Disk bus" aria-label="Disk bus" data={['virtio', 'scsi', 'sata']} value={spec.diskBus} onChange={(b) => b && w.set({ diskBus: b as NewVmSpec['diskBus'] })} allowDeselect={false} />
      <Checkbox label="Network card" checked={!!spec.nic} onChange={(e) => w.set({ nic: e.currentTarget.checked ? { type: 'bridge', source: nicSources[0]?.name ?? '', mac: '', model: spec.os.family === 'windows' ? 'e1000e' : 'virtio' } : null })} />
      {spec.nic && (
        <>
          <Select
            label="Network or bridge"
            aria-label="Network or bridge"
            data={nicSources.map((s) => ({ value: `${s.type}:${s.name}`, label: `${s.type === 'network' ? 'Network' : 'Bridge'} ${s.name} — ${s.what}` }))}
            value={`${spec.nic.type}:${spec.nic.source}`}
            onChange={(v) => {
              if (!v || !spec.nic) return;
              const [type, ...rest] = v.split(':');
              w.set({ nic: { ...spec.nic, type: type as 'network' | 'bridge', source: rest.join(':') } });
            }}
            allowDeselect={false}
          />
          <Group align="flex-end" grow>
            <TextInput label="MAC address" aria-label="MAC address" value={spec.nic.mac} onChange={(e) => spec.nic && w.set({ nic: { ...spec.nic, mac: e.currentTarget.value } })} />
            <Button variant="default" onClick={w.newMac} style={{ flexGrow: 0 }}>
              Generate
            </Button>
            <Select label="NIC model" aria-label="NIC model" data={['virtio', 'e1000e', 'e1000']} value={spec.nic.model} onChange={(m) => m && spec.nic && w.set({ nic: { ...spec.nic, model: m as 'virtio' } })} allowDeselect={false} />
          </Group>
        </>
      )}
    </Stack>
  );
}
