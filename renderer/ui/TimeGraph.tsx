// One figure over the last minutes (a host's or a VM's CPU, memory, I/O), drawn by uPlot: a small,
// fast canvas chart library with time axes and hover values, which we would otherwise hand-roll badly.
import { useComputedColorScheme } from '@mantine/core';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** `max` fixes the y axis (a percentage, a host's memory); without it the axis follows the data,
 *  up to at least `floor` so an idle series does not get ticks of fractions of a unit. */
export function TimeGraph({ label, times, values, max, floor = 1, format, color }: { label: string; times: number[]; values: number[]; max?: number; floor?: number; format: (v: number) => string; color: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The canvas cannot use CSS variables: read the scheme's axis colours when (re)drawing.
  const scheme = useComputedColorScheme('light');
  const data = useRef<[number[], number[]]>([times, values]);
  data.current = [times, values];

  useEffect(() => {
    const el = box.current!;
    const css = getComputedStyle(el);
    const axis = css.getPropertyValue('--vd-graph-axis').trim() || '#868e96';
    const grid = css.getPropertyValue('--vd-graph-grid').trim() || 'rgba(128,128,128,0.15)';
    const u = new uPlot(
      {
        width: el.clientWidth || 400,
        height: 140,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: max === undefined ? (_u, _min, dataMax) => [0, Math.max(dataMax * 1.2, floor)] : [0, max] } },
        axes: [
          {
            stroke: axis,
            grid: { stroke: grid },
            ticks: { show: false },
            font: '10px sans-serif',
            // A time label is ~80 px wide: keep ticks apart even when the history spans seconds.
            space: 100,
            incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600],
            values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })),
          },
          { stroke: axis, grid: { stroke: grid }, ticks: { show: false }, font: '10px sans-serif', size: 56, values: (_u, ticks) => ticks.map(format) },
        ],
        series: [{}, { label, stroke: color, fill: `${color}22`, width: 1.5, points: { show: false } }],
      },
      data.current,
      el,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: 140 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [label, max, floor, format, color, scheme]);

  useEffect(() => {
    plot.current?.setData([times, values]);
  }, [times, values]);

  return <div ref={box} role="img" aria-label={`${label} graph`} />;
}
