// What kind of disk image a byte stream holds, from its first bytes: a volume is created with the
// format libvirt must know it by before the bytes arrive.

/** qcow2 files start with "QFI\xfb" (QEMU's QCOW_MAGIC), then a big-endian version (2 or 3). */
const QCOW2_MAGIC = [0x51, 0x46, 0x49, 0xfb] as const;

/** Bytes of the header needed to tell the format and a qcow2's virtual size (offset 24, u64). */
export const IMAGE_HEADER_BYTES = 32;

export type ImageFormat = 'qcow2' | 'raw';

export interface ImageInfo {
  format: ImageFormat;
  /** The size the guest sees: a qcow2's virtual size from its header; for raw, the byte count. */
  capacity: number;
}

/** The format and capacity of an image of `size` bytes whose first bytes are `header`. A short
 *  or unknown header is raw (raw has no header of its own). */
export function detectImage(header: Uint8Array, size: number): ImageInfo {
  const isQcow2 = header.length >= IMAGE_HEADER_BYTES && QCOW2_MAGIC.every((b, i) => header[i] === b);
  if (!isQcow2) return { format: 'raw', capacity: size };
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const version = view.getUint32(4);
  const virtualSize = Number(view.getBigUint64(24));
  // A version other than 2/3, or a size beyond what a number holds exactly, is not a qcow2 we
  // can size: refuse to guess rather than create a wrongly sized volume.
  if ((version !== 2 && version !== 3) || !Number.isSafeInteger(virtualSize) || virtualSize <= 0) {
    throw new Error(`The file starts like a qcow2 image but its header is not one VirtDeck can read (version ${version})`);
  }
  return { format: 'qcow2', capacity: virtualSize };
}
