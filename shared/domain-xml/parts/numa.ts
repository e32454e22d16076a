// NUMA: the guest's topology (<cpu><numa> cells) and whether the host placement (<numatune>) is
// set. Waits for the next boot.

import type { Element } from '@xmldom/xmldom';
import { DOMAIN_ORDER, intOrNull, toKiB } from '../domain';
import { type Ctx, type Handlers, NEXT_BOOT } from '../handler';
import type { DomainView } from '../types';
import { attr, child, createEl, ensureChild, placeEl, removeEl } from '../xml/xml-doc';
import { CPU_ORDER, checkTopology } from './cpu';

export type NumaEdit =
  // Gives the guest a NUMA topology of n cells (vCPUs and memory split evenly); null removes it.
  { kind: 'set-guest-numa'; cells: number | null };

export function readNumatune(domain: Element): Pick<DomainView, 'numatune'> {
  return { numatune: child(domain, 'numatune') !== null };
}

/**
 * A guest NUMA topology of `cells` cells, vCPUs and memory split evenly (the vCPU count and the
 * memory stay as they are); null removes it. libvirt then gives <memory> as the cells' sum.
 */
function setGuestNuma(c: Ctx, cells: number | null): void {
  c.checks.add(checkTopology);
  const { xd, domain } = c;
  const cpu = child(domain, 'cpu');
  if (cells === null) {
    const numa = cpu ? child(cpu, 'numa') : null;
    if (!numa) throw new Error('the domain has no guest NUMA topology to remove');
    removeEl(numa);
    return;
  }
  if (!Number.isInteger(cells) || cells < 2) throw new Error(`invalid NUMA cell count '${cells}' (expected 2 or more)`);
  if (cpu && child(cpu, 'numa')) throw new Error('the domain already has a guest NUMA topology; change it in the XML editor');
  const vcpus = intOrNull(child(domain, 'vcpu')?.textContent?.trim() ?? null);
  const memKiB = toKiB(child(domain, 'memory'));
  if (vcpus === null || memKiB === null) throw new Error('the domain gives no <vcpu> or <memory> to split');
  if (vcpus < cells) throw new Error(`${vcpus} vCPUs cannot be split into ${cells} NUMA cells`);
  // Whole MiB per cell (libvirt aligns cell memory); the last cell takes what is left.
  const per = Math.floor(memKiB / cells / 1024) * 1024;
  if (per < 1024) throw new Error(`${memKiB} KiB of memory cannot be split into ${cells} NUMA cells`);
  const topo = cpu ? child(cpu, 'topology') : null;
  const sockets = intOrNull(attr(topo, 'sockets')) ?? 1;
  if (topo && sockets % cells !== 0) throw new Error(`the CPU topology has ${sockets} socket(s); the ${cells} NUMA cells need a multiple of ${cells}`);
  const parent = cpu ?? ensureChild(xd, domain, 'cpu', DOMAIN_ORDER);
  const cellEls: Element[] = [];
  let first = 0;
  for (let i = 0; i < cells; i++) {
    const n = Math.floor(vcpus / cells) + (i < vcpus % cells ? 1 : 0);
    const mem = i === cells - 1 ? memKiB - per * (cells - 1) : per;
    cellEls.push(createEl(xd, 'cell', { id: i, cpus: n === 1 ? `${first}` : `${first}-${first + n - 1}`, memory: mem, unit: 'KiB' }));
    first += n;
  }
  placeEl(xd, parent, createEl(xd, 'numa', {}, cellEls), CPU_ORDER);
}

export const numaHandlers = {
  'set-guest-numa': { apply: (c, e) => setGuestNuma(c, e.cells), live: NEXT_BOOT },
} satisfies Handlers<NumaEdit>;
