// Memory: <memory> (the boot-time maximum) and <currentMemory> (the balloon target). On a running
// VM the current memory is applied live (virsh setmem --live, up to the running maximum); a new
// maximum waits for the next boot.

import type { Element } from '@xmldom/xmldom';
import type { RuntimeState } from '../pending/runtime';
import { DOMAIN_ORDER, toKiB } from '../domain';
import { type Ctx, type Handlers, LIVE, positiveInt, setText } from '../handler';
import type { DomainView } from '../types';
import { attr, child, ensureChild } from '../xml/xml-doc';

export type MemoryEdit =
  // Sets <currentMemory> and <memory> in KiB.
  { kind: 'set-memory'; currentKiB: number; maxKiB: number };

export function readMemory(domain: Element): Pick<DomainView, 'memory'> {
  const max = toKiB(child(domain, 'memory'));
  // <currentMemory>, falling back to <memory> as libvirt does.
  return { memory: { currentKiB: toKiB(child(domain, 'currentMemory')) ?? max, maxKiB: max } };
}

function setMemoryEl(c: Ctx, name: string, kib: number): void {
  const el = ensureChild(c.xd, c.domain, name, DOMAIN_ORDER);
  const unit = attr(el, 'unit');
  if (unit !== null && unit !== 'KiB' && unit !== 'k') el.setAttribute('unit', 'KiB');
  setText(c.xd, el, String(kib));
}

function setMemory(c: Ctx, currentKiB: number, maxKiB: number): void {
  positiveInt('memory maxKiB', maxKiB);
  positiveInt('memory currentKiB', currentKiB);
  if (currentKiB > maxKiB) throw new Error(`invalid memory: current ${currentKiB} KiB is greater than max ${maxKiB} KiB`);
  const hotplugMax = toKiB(child(c.domain, 'maxMemory'));
  if (hotplugMax !== null && maxKiB > hotplugMax) {
    throw new Error(`invalid memory: ${maxKiB} KiB is above <maxMemory> (${hotplugMax} KiB)`);
  }
  const cpu = child(c.domain, 'cpu');
  if (cpu && child(cpu, 'numa')) {
    throw new Error('the domain defines its memory per NUMA cell (<cpu><numa>); change it in the XML editor');
  }
  setMemoryEl(c, 'memory', maxKiB);
  setMemoryEl(c, 'currentMemory', currentKiB);
}

export const memoryHandlers = {
  'set-memory': { apply: (c, e) => setMemory(c, e.currentKiB, e.maxKiB), live: LIVE },
} satisfies Handlers<MemoryEdit>;

/** Runtime-only: the running VM's <currentMemory> is the balloon's size as QEMU last reported it
  * (a rate-limited event, so it lags a live balloon change): not a next-boot difference. The
  * maximum <memory> is compared. */
export const MEMORY_RUNTIME: RuntimeState = { runtime: ['currentMemory'] };
