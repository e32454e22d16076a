// Memory: <memory> (the boot-time maximum) and <currentMemory> (the balloon target). On a running
// VM the current memory is applied live (virsh setmem --live, up to the running maximum); a new
// maximum waits for the next boot.

import type { Element } from '@xmldom/xmldom';
import type { RuntimeState } from '../pending/runtime';
import { DOMAIN_ORDER, toKiB } from '../domain';
import { type Ctx, type Handlers, LIVE, setText } from '../handler';
import { formatMemory } from '../host-limits';
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

/** At least 1 MiB, whole KiB; said in MiB, the editor's unit (−5 MiB typed reads "-5 MiB"). */
function memoryAmount(which: 'Current' | 'Maximum', kib: unknown): void {
  if (typeof kib !== 'number' || !Number.isSafeInteger(kib) || kib < 1024) {
    throw new Error(`${which} memory must be at least 1 MiB (got ${typeof kib === 'number' && Number.isFinite(kib) ? formatMemory(kib) : JSON.stringify(kib)})`);
  }
}

function setMemory(c: Ctx, currentKiB: number, maxKiB: number): void {
  memoryAmount('Maximum', maxKiB);
  memoryAmount('Current', currentKiB);
  if (currentKiB > maxKiB) throw new Error(`Current memory (${formatMemory(currentKiB)}) cannot be more than the maximum memory (${formatMemory(maxKiB)})`);
  const hotplugMax = toKiB(child(c.domain, 'maxMemory'));
  if (hotplugMax !== null && maxKiB > hotplugMax) {
    throw new Error(`Maximum memory (${formatMemory(maxKiB)}) cannot be more than the hot-plug limit <maxMemory> (${formatMemory(hotplugMax)})`);
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
