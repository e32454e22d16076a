// A small ISO 9660 image of a few files in its root folder — the NoCloud seed (user-data,
// meta-data, network-config, volume label `cidata`) — for hosts without cloud-localds, xorriso or
// genisoimage. As genisoimage -J -R writes it: level-1 names (USER_DAT.;1) in the primary tree,
// the real names as Rock Ridge NM entries (with PX modes, SP in the root's "." and the RRIP_1991A
// ER entry in a continuation area) and again in a Joliet tree (UCS-2), so Linux, Windows and
// cloud-init's blkid/mount all read "user-data". Pure: bytes in, bytes out.

export interface IsoFile {
  /** A name in the root folder: 1–64 characters, no '/'. */
  name: string;
  data: Uint8Array;
}

export class IsoError extends Error {}

const SECTOR = 2048;
/** Sectors: 0–15 system area, 16 primary, 17 Joliet, 18 terminator, 19–22 path tables, 23–24 the
 *  two root folders, 25 the Rock Ridge continuation area, then the files. */
const PVD = 16, SVD = 17, TERM = 18, PT_L = 19, PT_M = 20, JPT_L = 21, JPT_M = 22, ROOT = 23, JROOT = 24, CE = 25, DATA = 26;

const RR_ID = 'RRIP_1991A';
const RR_DES = 'THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS';
const RR_SRC = 'PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.';

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0) & 0x7f);
const ucs2 = (s: string): number[] => [...s].flatMap((c) => { const u = c.charCodeAt(0); return [u >> 8, u & 0xff]; });
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const be32 = (n: number) => le32(n).reverse();
const both32 = (n: number) => [...le32(n), ...be32(n)];
const both16 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 8) & 0xff, n & 0xff];
const sectors = (bytes: number) => Math.ceil(bytes / SECTOR);

/** The primary tree's name of a file: genisoimage's level-1 mapping (8.3, d-characters, ";1"). */
export function isoLevel1Name(name: string): string {
  const clean = (s: string) => s.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  const dot = name.lastIndexOf('.');
  const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [name, ''];
  return `${clean(base).slice(0, 8)}.${clean(ext).slice(0, 3)};1`;
}

/** ECMA-119 9.1.5: the 7-byte recording date (UTC). */
function dirDate(d: Date): number[] {
  return [d.getUTCFullYear() - 1900, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), 0];
}

/** ECMA-119 8.4.26.1: the 17-byte volume date "YYYYMMDDHHMMSScc" + offset (UTC). */
function volDate(d: Date | null): number[] {
  if (!d) return [...ascii('0'.repeat(16)), 0];
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return [...ascii(`${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}00`), 0];
}

/** A directory record (ECMA-119 9.1) with its System Use bytes; its length is kept even. */
function dirRecord(extent: number, size: number, dir: boolean, id: number[], date: Date, su: number[] = []): number[] {
  const pad = id.length % 2 === 0 ? [0] : [];
  const body = [0, ...both32(extent), ...both32(size), ...dirDate(date), dir ? 2 : 0, 0, 0, ...both16(1), id.length, ...id, ...pad, ...su];
  if ((body.length + 1) % 2 === 1) body.push(0);
  if (body.length + 1 > 255) throw new IsoError('A directory record is longer than 255 bytes (name too long)');
  return [body.length + 1, ...body];
}

// SUSP / Rock Ridge entries (IEEE P1281, P1282).
const suEntry = (sig: string, data: number[]) => [...ascii(sig), data.length + 4, 1, ...data];
const px = (mode: number, links: number) => suEntry('PX', [...both32(mode), ...both32(links), ...both32(0), ...both32(0)]);
const rrFlags = suEntry('RR', [0x01 | 0x08]); // PX and NM present
const nm = (name: string) => suEntry('NM', [0, ...[...new TextEncoder().encode(name)]]);
const erEntry = () => [...ascii('ER'), 8 + RR_ID.length + RR_DES.length + RR_SRC.length, 1, RR_ID.length, RR_DES.length, RR_SRC.length, 1, ...ascii(RR_ID), ...ascii(RR_DES), ...ascii(RR_SRC)];

/** A path table of the one (root) folder: L (little-endian) or M (big-endian). */
const pathTable = (root: number, big: boolean) => [1, 0, ...(big ? be32(root) : le32(root)), ...(big ? [0, 1] : [1, 0]), 0, 0];
const PATH_TABLE_SIZE = 10;

function descriptor(kind: 'primary' | 'joliet', label: string, total: number, rootRecord: number[], date: Date): Uint8Array {
  const v = new Uint8Array(SECTOR);
  const joliet = kind === 'joliet';
  const text = (at: number, len: number, s: string) => {
    const bytes = joliet ? ucs2(s) : ascii(s);
    const space = joliet ? [0, 0x20] : [0x20];
    for (let i = 0; i < len; i++) v[at + i] = i < bytes.length ? bytes[i]! : space[i % space.length]!;
  };
  v.set([joliet ? 2 : 1, ...ascii('CD001'), 1], 0);
  text(8, 32, '');
  text(40, 32, label);
  v.set(both32(total), 80);
  if (joliet) v.set([0x25, 0x2f, 0x45], 88); // UCS-2 level 3
  v.set(both16(1), 120);
  v.set(both16(1), 124);
  v.set(both16(SECTOR), 128);
  v.set(both32(PATH_TABLE_SIZE), 132);
  v.set(le32(joliet ? JPT_L : PT_L), 140);
  v.set(be32(joliet ? JPT_M : PT_M), 148);
  v.set(rootRecord, 156);
  text(190, 128, '');
  text(318, 128, '');
  text(446, 128, '');
  text(574, 128, 'VIRTDECK');
  text(702, 37, '');
  text(739, 37, '');
  text(776, 37, '');
  v.set(volDate(date), 813);
  v.set(volDate(date), 830);
  v.set(volDate(null), 847);
  v.set(volDate(date), 864);
  v[881] = 1;
  return v;
}

/** The ISO image of `files` in its root folder, volume label `label` (at most 32 characters). */
export function buildIso(files: readonly IsoFile[], label: string, date = new Date()): Uint8Array {
  if (!label || label.length > 32 || /[^\x20-\x7e]/.test(label)) throw new IsoError('The volume label must be 1–32 printable ASCII characters');
  const names = new Set<string>();
  for (const f of files) {
    if (!f.name || f.name.length > 64 || f.name.includes('/') || /[\u0000-\u001f]/.test(f.name)) throw new IsoError(`Bad file name in the image: "${f.name}"`);
    const l1 = isoLevel1Name(f.name);
    if (names.has(l1)) throw new IsoError(`Two files map to the same ISO 9660 name ${l1}`);
    names.add(l1);
  }
  let next = DATA;
  const placed = files.map((f) => {
    const extent = next;
    next += Math.max(1, sectors(f.data.length));
    return { ...f, extent, l1: isoLevel1Name(f.name) };
  });
  const total = next;
  const er = erEntry();
  const ce = suEntry('CE', [...both32(CE), ...both32(0), ...both32(er.length)]);
  const dirMode = 0o40555, fileMode = 0o100444;
  const self = (extent: number, su: number[]) => dirRecord(extent, SECTOR, true, [0], date, su);
  const parent = (extent: number, su: number[]) => dirRecord(extent, SECTOR, true, [1], date, su);

  const primary = [
    ...self(ROOT, [...suEntry('SP', [0xbe, 0xef, 0]), ...rrFlags, ...px(dirMode, 2), ...ce]),
    ...parent(ROOT, [...rrFlags, ...px(dirMode, 2)]),
    ...[...placed].sort((a, b) => (a.l1 < b.l1 ? -1 : 1)).flatMap((f) => dirRecord(f.extent, f.data.length, false, ascii(f.l1), date, [...rrFlags, ...px(fileMode, 1), ...nm(f.name)])),
  ];
  const jname = (f: { name: string }) => ucs2(f.name);
  const joliet = [
    ...self(JROOT, []),
    ...parent(JROOT, []),
    ...[...placed].sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((f) => dirRecord(f.extent, f.data.length, false, jname(f), date)),
  ];
  if (primary.length > SECTOR || joliet.length > SECTOR) throw new IsoError('Too many files for the seed image (one folder sector)');

  const out = new Uint8Array(total * SECTOR);
  const at = (sector: number, bytes: ArrayLike<number>) => out.set(bytes, sector * SECTOR);
  at(PVD, descriptor('primary', label, total, self(ROOT, []), date));
  at(SVD, descriptor('joliet', label, total, self(JROOT, []), date));
  at(TERM, [255, ...ascii('CD001'), 1]);
  at(PT_L, pathTable(ROOT, false));
  at(PT_M, pathTable(ROOT, true));
  at(JPT_L, pathTable(JROOT, false));
  at(JPT_M, pathTable(JROOT, true));
  at(ROOT, primary);
  at(JROOT, joliet);
  at(CE, er);
  for (const f of placed) at(f.extent, f.data);
  return out;
}
