// Internal or external, decided from the domain: internal snapshots live inside qcow2 images and
// are the simple case; libvirt cannot take them of raw disks or of a VM whose UEFI variables sit
// in pflash NVRAM, nor of a running VM's disks without its memory — those get overlay files.
import type { SnapshotLocation, SnapshotPlan, TakeSnapshot } from '../contract/snapshots';
import { XmlDoc, attr, child, elements, escapeAttr, escapeText } from '../domain-xml/xml/xml-doc';

/** A disk as the decision sees it. */
export interface PlanDisk {
  target: string;
  device: string;
  format: string | null;
  file: string | null;
  /** Not a file: a block device or network storage (no place for an overlay next to it). */
  kind: string | null;
  skip: boolean;
}

export interface PlanDomain {
  disks: PlanDisk[];
  pflash: boolean;
}

/** The facts of a domain XML (the live one while running) that decide a snapshot's shape. */
export function planDomain(domainXml: string): PlanDomain {
  const root = new XmlDoc(domainXml).root;
  const domain = root.nodeName === 'domain' ? root : child(root, 'domain');
  if (!domain) throw new Error('no <domain> in the XML');
  const os = child(domain, 'os');
  const loader = os && child(os, 'loader');
  const pflash = attr(loader, 'type') === 'pflash' || !!(os && child(os, 'nvram'));
  const devices = child(domain, 'devices');
  const disks = (devices ? elements(devices, 'disk') : []).map((d): PlanDisk => {
    const source = child(d, 'source');
    const device = attr(d, 'device') ?? 'disk';
    const file = attr(source, 'file');
    const hasSource = !!source && !!(file || attr(source, 'dev') || attr(source, 'name') || attr(source, 'volume'));
    return {
      target: attr(child(d, 'target'), 'dev') ?? '',
      device,
      format: attr(child(d, 'driver'), 'type'),
      file,
      kind: attr(d, 'type'),
      // CD-ROMs, floppies, read-only and empty drives are left out of every snapshot.
      skip: device === 'cdrom' || device === 'floppy' || !!child(d, 'readonly') || !hasSource,
    };
  });
  return { disks, pflash };
}

/** What a new snapshot would be: internal where it can, external otherwise, with the reasons. */
export function planSnapshot(dom: PlanDomain, opts: { running: boolean; memory: boolean }): SnapshotPlan {
  const reasons: string[] = [];
  if (dom.pflash) reasons.push('UEFI firmware with pflash NVRAM: libvirt takes no internal snapshot of it');
  for (const d of dom.disks.filter((x) => !x.skip)) {
    if (d.format !== 'qcow2') reasons.push(`disk ${d.target} is ${d.format ?? 'raw'}, not qcow2: only qcow2 holds internal snapshots`);
  }
  if (opts.running && !opts.memory) reasons.push('disks only, of a running VM: internal snapshots of a running VM always hold its memory');
  const location: SnapshotLocation = reasons.length ? 'external' : 'internal';
  const disks = dom.disks.filter((d) => !d.skip);
  let refusal: string | undefined;
  if (!disks.length && !(opts.running && opts.memory)) refusal = 'The VM has no disk to snapshot';
  const noFile = disks.find((d) => d.kind !== 'file' || !d.file);
  if (location === 'external' && noFile) refusal = `disk ${noFile.target} is not a file (${noFile.kind ?? '?'}): there is no folder beside it for an external snapshot's overlay`;
  return { location, reasons, ...(refusal ? { refusal } : {}) };
}

const MAX_NAME = 200;

/** Why a snapshot name cannot be used, or null. libvirt refuses '/' (external file names derive from it). */
export function snapshotNameProblem(name: string, existing: readonly string[] = []): string | null {
  if (!name.trim()) return 'A snapshot needs a name';
  if (name.length > MAX_NAME) return `A snapshot name has at most ${MAX_NAME} characters`;
  if (name.includes('/')) return "A snapshot name cannot contain '/'";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'A snapshot name cannot contain control characters';
  if (existing.includes(name)) return `A snapshot named "${name}" already exists`;
  return null;
}

/** The default name: the local time, e.g. "snapshot-2026-12-01-1130". */
export function defaultSnapshotName(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `snapshot-${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
}

/** A piece of the name safe in a file name: ASCII letters, digits, - and _ only. */
function fileSlug(name: string): string {
  const slug = name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return slug || 'snapshot';
}

const dirOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);
const stem = (path: string) => path.slice(path.lastIndexOf('/') + 1).replace(/\.(qcow2|img|raw)$/i, '');

export interface SnapshotCommand {
  xml: string;
  /** snapshot-create flags beside --xmlfile. */
  flags: string[];
  location: SnapshotLocation;
  /** The overlay (and memory) files an external snapshot creates. */
  files: string[];
}

/** The `<domainsnapshot>` to hand `virsh snapshot-create --xmlfile /dev/stdin`, and its flags.
 *  `stamp` makes the overlay names unique (a name may be reused after a delete). */
export function buildSnapshot(dom: PlanDomain, take: TakeSnapshot, opts: { running: boolean; stamp: string }): SnapshotCommand {
  const memory = opts.running && take.memory;
  const plan = planSnapshot(dom, { running: opts.running, memory });
  if (plan.refusal) throw new Error(plan.refusal);
  const q = "'";
  const slug = `${fileSlug(take.name)}-${opts.stamp}`;
  const files: string[] = [];
  const diskXml = dom.disks.map((d) => {
    if (d.skip) return `    <disk name=${q}${escapeAttr(d.target, q)}${q} snapshot='no'/>`;
    if (plan.location === 'internal') return `    <disk name=${q}${escapeAttr(d.target, q)}${q} snapshot='internal'/>`;
    const overlay = `${dirOf(d.file!)}${stem(d.file!)}.${slug}.qcow2`;
    files.push(overlay);
    return `    <disk name=${q}${escapeAttr(d.target, q)}${q} snapshot='external' type='file'>\n      <driver type='qcow2'/>\n      <source file=${q}${escapeAttr(overlay, q)}${q}/>\n    </disk>`;
  });
  let memoryXml = "  <memory snapshot='no'/>";
  if (memory && plan.location === 'internal') memoryXml = "  <memory snapshot='internal'/>";
  if (memory && plan.location === 'external') {
    const first = dom.disks.find((d) => !d.skip && d.file);
    if (!first) throw new Error('No file disk to put the memory file beside');
    const file = `${dirOf(first.file!)}${stem(first.file!)}.${slug}.mem`;
    files.push(file);
    memoryXml = `  <memory snapshot='external' file=${q}${escapeAttr(file, q)}${q}/>`;
  }
  const lines = [
    '<domainsnapshot>',
    `  <name>${escapeText(take.name)}</name>`,
    ...(take.description ? [`  <description>${escapeText(take.description)}</description>`] : []),
    memoryXml,
    '  <disks>',
    ...diskXml,
    '  </disks>',
    '</domainsnapshot>',
  ];
  const diskOnly = !memory && (plan.location === 'external' || opts.running);
  const flags = ['--atomic', ...(diskOnly ? ['--disk-only'] : []), ...(diskOnly && take.quiesce ? ['--quiesce'] : [])];
  return { xml: lines.join('\n') + '\n', flags, location: plan.location, files };
}
