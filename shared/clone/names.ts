// Names for clones: a pattern with `{n}` (first index, zero padding) expanded into N names, each
// checked against libvirt's rules for a domain name.

export class CloneInputError extends Error {}

export interface NamePattern {
  /** e.g. "web-{n}"; `{n}` is the copy's number. A single copy may have no `{n}`. */
  pattern: string;
  count: number;
  /** The first copy's number (default 1). */
  first?: number;
  /** Digits the number is padded to with zeros (default 0: as it is). */
  pad?: number;
}

/** The most copies one request makes: a typo of 1000 should not fill a host. */
export const MAX_CLONES = 50;

/** libvirt's rules for a domain name (virDomainDefParseXML + the QEMU driver): not empty, no "/",
 *  no control characters; at most 200 bytes here so the clone's file names stay below 255. */
export function checkVmName(name: string): string {
  if (name.trim() === '') throw new CloneInputError('A VM needs a name');
  if (name.includes('/')) throw new CloneInputError(`The VM name "${name}" may not contain "/"`);
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new CloneInputError('A VM name may not contain control characters or line breaks');
  if (new TextEncoder().encode(name).length > 200) throw new CloneInputError(`The VM name "${name.slice(0, 40)}…" is longer than 200 bytes`);
  return name;
}

export function expandNamePattern({ pattern, count, first = 1, pad = 0 }: NamePattern): string[] {
  if (!Number.isInteger(count) || count < 1) throw new CloneInputError('The number of copies must be a whole number of at least 1');
  if (count > MAX_CLONES) throw new CloneInputError(`At most ${MAX_CLONES} copies at once`);
  if (!Number.isInteger(first) || first < 0) throw new CloneInputError('The first number must be a whole number of 0 or more');
  if (!Number.isInteger(pad) || pad < 0 || pad > 9) throw new CloneInputError('The padding must be 0 to 9 digits');
  const hasN = pattern.includes('{n}');
  if (count > 1 && !hasN) throw new CloneInputError('Several copies need {n} in the name pattern (e.g. web-{n})');
  const names = Array.from({ length: count }, (_, i) => pattern.replaceAll('{n}', String(first + i).padStart(pad, '0')));
  names.forEach(checkVmName);
  return names;
}
