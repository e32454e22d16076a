// A tiny inline trend line for a table cell. A 30-point SVG polyline: rows mount and unmount as
// the list scrolls, and a chart library instance (canvas, resize observers) per cell would cost
// far more than the line it draws. The host page's larger graphs are where a chart library fits.
import { memo } from 'react';

export const Sparkline = memo(function Sparkline({ values, max, width = 56, height = 14, color = 'var(--mantine-color-blue-6)' }: { values: number[]; max?: number; width?: number; height?: number; color?: string }) {
  if (values.length < 2) return <svg width={width} height={height} aria-hidden />;
  const top = Math.max(max ?? 0, ...values, 1e-9);
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / top) * (height - 2)).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} aria-hidden style={{ flex: 'none' }}>
      <polyline points={points} fill="none" stroke={color} strokeWidth={1.2} strokeLinejoin="round" />
    </svg>
  );
});
