// Host CPU and memory over the last minutes: pushed by the backend ('host.load') while the host
// page is open, drawn as two graphs.
import { SimpleGrid, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../../app/api';
import { formatKiB, formatPct } from '../../ui/format';
import { Section } from '../../ui/Section';
import { TimeGraph } from '../../ui/TimeGraph';

/** Five minutes at the default 2 s interval. */
const LOAD_HISTORY = 150;

export interface LoadHistory {
  times: number[];
  cpu: number[];
  mem: number[];
  memTotalKiB: number;
}

/** Host CPU and memory pushed by the backend while this page is open ('host.watch'). */
export function useHostLoad(hostId: string, online: boolean): LoadHistory | undefined {
  const [load, setLoad] = useState<LoadHistory>();
  useEffect(() => {
    setLoad(undefined);
    if (!online) return;
    const off = api.onEvent((e) => {
      // The first sample has no CPU figure yet (it needs two): wait for the second.
      if (e.type !== 'host.load' || e.hostId !== hostId || e.cpuPct === undefined) return;
      setLoad((h) => {
        const keep = <T,>(xs: T[], x: T) => [...xs, x].slice(-LOAD_HISTORY);
        return {
          times: keep(h?.times ?? [], e.at / 1000),
          cpu: keep(h?.cpu ?? [], e.cpuPct ?? 0),
          mem: keep(h?.mem ?? [], e.memUsedKiB),
          memTotalKiB: e.memTotalKiB,
        };
      });
    });
    void api.call('host.watch', { hostId, watch: true });
    return () => {
      off();
      void api.call('host.watch', { hostId, watch: false });
    };
  }, [hostId, online]);
  return load;
}

const pctTick = (v: number) => `${Math.round(v)} %`;

export function LoadGraphs({ load }: { load?: LoadHistory }) {
  if (!load || load.times.length < 2) {
    return (
      <Section title="Load">
        <Text size="sm" c="dimmed">
          Collecting host CPU and memory…
        </Text>
      </Section>
    );
  }
  const cpuNow = load.cpu.at(-1);
  const memNow = load.mem.at(-1);
  return (
    <Section title="Load">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <div>
          <Text size="xs" c="dimmed" aria-label="Host CPU">
            CPU {formatPct(cpuNow)}
          </Text>
          <TimeGraph label="Host CPU" times={load.times} values={load.cpu} max={100} format={pctTick} color="#228be6" />
        </div>
        <div>
          <Text size="xs" c="dimmed" aria-label="Host memory">
            Memory {formatKiB(memNow)} of {formatKiB(load.memTotalKiB)}
          </Text>
          <TimeGraph label="Host memory" times={load.times} values={load.mem} max={load.memTotalKiB} format={formatKiB} color="#12b886" />
        </div>
      </SimpleGrid>
    </Section>
  );
}
