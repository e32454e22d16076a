// vCPUs and the guest CPU: <vcpu> (count and current), <cpu mode/model> and <cpu><topology>.
// The current vCPU count is applied to a running VM too (virsh setvcpus --live); the maximum, the
// mode and the topology wait for the next boot.

import type { Element } from '@xmldom/xmldom';
import type { RuntimeState } from '../pending/runtime';
import { DOMAIN_ORDER, intOrNull } from '../domain';
import { type Ctx, type Handlers, LIVE, NEXT_BOOT, oneOf, positiveInt, setText } from '../handler';
import type { DomainView } from '../types';
import { attr, child, elements, ensureChild, removeEl, setAttr, text } from '../xml/xml-doc';

export const CPU_MODES = ['host-passthrough', 'host-model', 'custom'] as const;
export type CpuMode = (typeof CPU_MODES)[number];

/** libvirt's order of <cpu> children. */
export const CPU_ORDER = ['model', 'vendor', 'topology', 'cache', 'maxphysaddr', 'feature', 'numa'] as const;

export type CpuTopology = { sockets: number; dies?: number; cores: number; threads: number };

export type CpuEdit =
  // Sets the boot-time vCPU count (current) and the hotplug maximum (max).
  | { kind: 'set-vcpus'; current: number; max: number }
  // Switches the CPU mode; custom needs a model (given or already present).
  | { kind: 'set-cpu-mode'; mode: CpuMode; model?: string }
  // Sets <cpu><topology> (its product must equal the maximum vCPUs); null removes it.
  | { kind: 'set-cpu-topology'; topology: CpuTopology | null };

export function readCpu(domain: Element): Pick<DomainView, 'vcpus' | 'cpu'> {
  const vcpu = child(domain, 'vcpu');
  const max = intOrNull(text(vcpu));
  const cpu = child(domain, 'cpu');
  const topo = cpu ? child(cpu, 'topology') : null;
  const numa = cpu ? child(cpu, 'numa') : null;
  return {
    vcpus: { current: intOrNull(attr(vcpu, 'current')) ?? max, max },
    cpu: cpu
      ? {
          mode: attr(cpu, 'mode'),
          match: attr(cpu, 'match'),
          model: text(child(cpu, 'model'))?.trim() || null,
          topology: topo
            ? {
                sockets: intOrNull(attr(topo, 'sockets')),
                dies: intOrNull(attr(topo, 'dies')),
                cores: intOrNull(attr(topo, 'cores')),
                threads: intOrNull(attr(topo, 'threads')),
              }
            : null,
          numaCells: numa ? elements(numa, 'cell').length : 0,
        }
      : null,
  };
}

function cpuTopology(domain: Element): Element | null {
  const cpu = child(domain, 'cpu');
  return cpu ? child(cpu, 'topology') : null;
}

/** libvirt refuses a topology whose product differs from the maximum vCPUs. */
export function checkTopology(c: Ctx): void {
  const topo = cpuTopology(c.domain);
  const max = intOrNull(child(c.domain, 'vcpu')?.textContent ?? null);
  if (!topo || max === null) return;
  const product = ['sockets', 'dies', 'clusters', 'cores', 'threads']
    .map((a) => intOrNull(attr(topo, a)) ?? 1)
    .reduce((x, y) => x * y, 1);
  if (product !== max) {
    throw new Error(`CPU topology gives ${product} vCPUs (sockets×dies×cores×threads) but the maximum vCPUs is ${max}`);
  }
}

function setVcpus(c: Ctx, current: number, max: number): void {
  positiveInt('vcpus max', max);
  positiveInt('vcpus current', current);
  if (current > max) throw new Error(`invalid vcpus: current ${current} is greater than max ${max}`);
  if (child(c.domain, 'vcpus')) {
    throw new Error('the domain lists individual vCPUs in <vcpus>; change the count in the XML editor');
  }
  const vcpu = ensureChild(c.xd, c.domain, 'vcpu', DOMAIN_ORDER);
  setText(c.xd, vcpu, String(max));
  setAttr(vcpu, 'current', current < max ? current : null);
  c.checks.add(checkTopology);
}

function setCpuMode(c: Ctx, mode: CpuMode, model: string | undefined): void {
  oneOf('CPU mode', mode, CPU_MODES);
  const existing = child(c.domain, 'cpu');
  if (mode === 'custom') {
    const name = model ?? (existing ? child(existing, 'model')?.textContent?.trim() : undefined);
    if (!name) throw new Error("CPU mode 'custom' needs a model (e.g. Skylake-Client-IBRS)");
    const cpu = existing ?? ensureChild(c.xd, c.domain, 'cpu', DOMAIN_ORDER);
    cpu.setAttribute('mode', 'custom');
    if (!cpu.hasAttribute('match')) cpu.setAttribute('match', 'exact');
    cpu.removeAttribute('migratable'); // only meaningful for the host-* modes
    setText(c.xd, ensureChild(c.xd, cpu, 'model', CPU_ORDER), name);
    return;
  }
  if (model !== undefined) throw new Error(`CPU mode '${mode}' takes no model`);
  const cpu = existing ?? ensureChild(c.xd, c.domain, 'cpu', DOMAIN_ORDER);
  cpu.setAttribute('mode', mode);
  // A named model, vendor and its feature list describe a custom CPU; with host-* modes they
  // would silently change meaning, so they go (as virt-manager does). Topology/NUMA stay.
  cpu.removeAttribute('match');
  for (const name of ['model', 'vendor', 'feature']) elements(cpu, name).forEach(removeEl);
}

function setCpuTopology(c: Ctx, t: CpuTopology | null): void {
  c.checks.add(checkTopology);
  if (t === null) {
    const topo = cpuTopology(c.domain);
    if (topo) removeEl(topo);
    return;
  }
  const cpu = ensureChild(c.xd, c.domain, 'cpu', DOMAIN_ORDER);
  const topo = ensureChild(c.xd, cpu, 'topology', CPU_ORDER);
  topo.setAttribute('sockets', String(positiveInt('topology sockets', t.sockets)));
  setAttr(topo, 'dies', t.dies === undefined ? null : positiveInt('topology dies', t.dies));
  topo.setAttribute('cores', String(positiveInt('topology cores', t.cores)));
  topo.setAttribute('threads', String(positiveInt('topology threads', t.threads)));
}

export const cpuHandlers = {
  // Live: the current count only (virsh setvcpus --live); a new maximum waits for the next boot.
  'set-vcpus': { apply: (c, e) => setVcpus(c, e.current, e.max), live: LIVE },
  'set-cpu-mode': { apply: (c, e) => setCpuMode(c, e.mode, e.model), live: NEXT_BOOT },
  'set-cpu-topology': { apply: (c, e) => setCpuTopology(c, e.topology), live: NEXT_BOOT },
} satisfies Handlers<CpuEdit>;

/** Resolved at start: the features a CPU model or host-model expands to, and the check libvirt did. */
export const CPU_RUNTIME: RuntimeState = { runtime: ['cpu@check'], resolved: ['cpu/feature', 'cpu/model@fallback'] };
