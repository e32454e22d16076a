// Per-disk I/O over a window, as QEMU counts it: query-blockstats at its start and its end, each
// disk named by its target through the running XML's aliases.
import type { IoMeasurement } from '../../../shared/contract/index.js';
import { deviceAliases } from '../../../shared/domain-xml/index.js';
import { blockWindow, parseBlockstats } from '../../../shared/qmp/index.js';
import type { VirshRunner } from './domain-editor.js';
import { DomainEditError } from './domain-editor.js';
import { qmp } from './qmp-virtio.js';

export const MEASURE_SECONDS = { min: 2, max: 300 } as const;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const REAL_CLOCK: Clock = { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** The figures are over the time that really passed between the two samples, not the asked one. */
export async function measureIo(virsh: VirshRunner, name: string, seconds: number, clock: Clock = REAL_CLOCK): Promise<IoMeasurement> {
  if (!Number.isInteger(seconds) || seconds < MEASURE_SECONDS.min || seconds > MEASURE_SECONDS.max) {
    throw new DomainEditError(`A window is ${MEASURE_SECONDS.min}–${MEASURE_SECONDS.max} whole seconds, not ${seconds}`);
  }
  const from = clock.now();
  const first = parseBlockstats(await qmp(virsh, name, 'query-blockstats'));
  await clock.sleep(seconds * 1000);
  const second = parseBlockstats(await qmp(virsh, name, 'query-blockstats'));
  const to = clock.now();
  const aliases = deviceAliases(await virsh.run(['dumpxml', '--domain', name]));
  const disks = second.flatMap((b) => {
    const a = first.find((x) => x.alias === b.alias);
    if (!a || !b.alias) return [];
    const ref = aliases.get(b.alias);
    return [{ disk: ref?.tag === 'disk' ? ref.id : b.alias, figures: blockWindow(a, b, (to - from) / 1000) }];
  });
  return { from, to, disks };
}
