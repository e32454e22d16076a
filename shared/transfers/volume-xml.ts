// The little of a storage volume's XML a transfer needs: a new volume's definition (for
// `vol-create … /dev/stdin`) and the size, format and path of an existing one (`vol-dumpxml`).
import { child, escapeText, parseFragment, text } from '../domain-xml/xml/xml-doc';
import type { ImageFormat } from './image-format';

export interface NewVolume {
  name: string;
  capacity: number;
  format: ImageFormat;
}

/** A thin volume (allocation 0) of `capacity` bytes; the name is escaped, never spliced raw. */
export function newVolumeXml(v: NewVolume): string {
  if (!v.name) throw new Error('A volume needs a name');
  if (!Number.isSafeInteger(v.capacity) || v.capacity < 0) throw new Error(`Not a volume size: ${v.capacity}`);
  return [
    '<volume>',
    `  <name>${escapeText(v.name)}</name>`,
    `  <capacity unit='bytes'>${v.capacity}</capacity>`,
    `  <allocation unit='bytes'>0</allocation>`,
    `  <target><format type='${v.format}'/></target>`,
    '</volume>',
    '',
  ].join('\n');
}

export interface VolumeFacts {
  capacity: number;
  /** The bytes `vol-download` sends: the file's size (physical), else the capacity. */
  streamBytes: number;
  /** qcow2 or raw as the copy's target needs it; other formats (iso, vmdk …) travel as raw bytes. */
  format: ImageFormat;
  sourceFormat: string;
  path: string;
}

const bytesOf = (el: ReturnType<typeof child>): number | undefined => {
  const t = text(el);
  const n = t === null ? NaN : Number(t.trim());
  return Number.isSafeInteger(n) ? n : undefined;
};

/** Facts of a volume from `vol-dumpxml` (libvirt prints unit='bytes' for these). */
export function readVolumeXml(xml: string): VolumeFacts {
  const root = parseFragment(xml);
  const capacity = bytesOf(child(root, 'capacity'));
  if (capacity === undefined) throw new Error('The volume XML has no capacity');
  const target = child(root, 'target');
  const sourceFormat = (target && child(target, 'format')?.getAttribute('type')) || 'raw';
  return {
    capacity,
    streamBytes: bytesOf(child(root, 'physical')) ?? capacity,
    format: sourceFormat === 'qcow2' ? 'qcow2' : 'raw',
    sourceFormat,
    path: text(target && child(target, 'path'))?.trim() ?? '',
  };
}
