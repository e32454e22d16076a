// <filesystem>: a host directory shared with the guest (virtiofs, 9p). Read and value lists;
// removing one is the generic remove-device (next boot).

import type { Element } from '@xmldom/xmldom';
import type { FilesystemView } from '../types';
import { attr, child } from '../xml/xml-doc';

export const FILESYSTEM_DRIVERS = ['virtiofs', 'path', 'handle', 'loop', 'nbd', 'ploop'] as const;
export const FILESYSTEM_ACCESS_MODES = ['passthrough', 'mapped', 'squash'] as const;


export function readFilesystem(f: Element, index: number): FilesystemView {
  const src = child(f, 'source');
  return {
    index,
    type: attr(f, 'type'),
    driver: attr(child(f, 'driver'), 'type'),
    accessMode: attr(f, 'accessmode'),
    source: attr(src, 'dir') ?? attr(src, 'file') ?? attr(src, 'dev') ?? attr(src, 'name') ?? null,
    target: attr(child(f, 'target'), 'dir'),
    readonly: child(f, 'readonly') !== null,
  };
}
