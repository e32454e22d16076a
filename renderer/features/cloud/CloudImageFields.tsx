// The wizard's "From a cloud image" media: which image (a qcow2 or raw volume of the host), and
// the VM's disk made from it — a qcow2 overlay with the image as its backing file, or a full copy —
// grown to the size asked (never below the image's own).
import { NumberInput, Select, Stack, Text } from '@mantine/core';
import type { SeedBuilder, StorageVolume } from '../../../shared/contract';
import { Choice } from '../../ui/Choice';

export interface CloudImageValue {
  image: StorageVolume;
  linked: boolean;
  sizeGiB: number;
  seedBuilder: SeedBuilder;
}

const GiB = 2 ** 30;

export function CloudImageFields({ images, value, onChange }: { images: StorageVolume[]; value: CloudImageValue; onChange: (patch: Partial<CloudImageValue>) => void }) {
  const usable = images.filter((v) => v.format === 'qcow2' || v.format === 'raw');
  const min = Math.ceil(((value.image.capacity ?? 0) / GiB) * 100) / 100;
  return (
    <Stack gap="sm">
      <Select
        label="Cloud image"
        aria-label="Cloud image"
        searchable
        data={usable.map((v) => ({ value: `${v.pool}/${v.name}`, label: `${v.pool}/${v.name} (${v.format}, ${((v.capacity ?? 0) / GiB).toFixed(2)} GiB)` }))}
        value={`${value.image.pool}/${value.image.name}`}
        onChange={(id) => {
          const image = usable.find((v) => `${v.pool}/${v.name}` === id);
          if (image) onChange({ image, sizeGiB: Math.max(value.sizeGiB, Math.ceil((image.capacity ?? 0) / GiB)) });
        }}
        allowDeselect={false}
        description="A distribution's cloud image in one of this host's pools (upload one on the Storage page)."
      />
      <Choice<'linked' | 'copy'>
        label="Disk from the image"
        value={value.linked ? 'linked' : 'copy'}
        onChange={(v) => onChange({ linked: v === 'linked' })}
        options={[['linked', 'Overlay on the image (instant)'], ['copy', 'Full copy']]}
      />
      <NumberInput label="Disk size (GiB)" aria-label="Cloud disk size (GiB)" min={min} decimalScale={2} value={value.sizeGiB} onChange={(v) => onChange({ sizeGiB: Number(v) })} />
      <Choice<SeedBuilder>
        label="Seed ISO"
        value={value.seedBuilder}
        onChange={(seedBuilder) => onChange({ seedBuilder })}
        options={[['auto', "The host's tool (cloud-localds, xorriso, genisoimage)"], ['virtdeck', 'Built by VirtDeck']]}
      />
      <Text size="xs" c="dimmed">
        cloud-init gets its settings from a NoCloud seed (a small ISO labelled cidata) on a SCSI CD-ROM, with ds=nocloud in the SMBIOS serial; the seed is taken out and deleted once the first boot has read it.
      </Text>
    </Stack>
  );
}
