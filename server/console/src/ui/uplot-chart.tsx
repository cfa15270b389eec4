import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartProps } from './chart.js';

/** The theme's colour for a custom property, read now (it changes with light and dark). */
function themeColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** uPlot drawing of {@link ChartProps}: bars per day, sized to its container, redrawn on theme change. */
export default function UPlotChart({ label, days, series, height = 220 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let plot: uPlot | null = null;
    const draw = () => {
      plot?.destroy();
      const text = themeColor('--muted');
      const grid = themeColor('--border');
      const bars = uPlot.paths.bars!({ size: [0.7, 40], gap: 1 });
      plot = new uPlot(
        {
          width: Math.max(element.clientWidth, 240),
          height,
          legend: { show: series.length > 1 },
          cursor: { drag: { x: false, y: false } },
          scales: {
            // Half a day either side, so the first and last bars are whole; counts start at 0.
            x: { time: true, range: (_plot, min, max) => [min - 43_200, max + 43_200] },
            y: { range: (_plot, _min, max) => [0, Math.max(1, max) * 1.1] },
          },
          axes: [
            { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
            { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 56 },
          ],
          series: [
            { label: 'Day' },
            ...series.map((entry) => ({
              label: entry.label,
              stroke: themeColor(entry.colorVar),
              fill: themeColor(entry.colorVar),
              paths: bars,
              points: { show: false },
            })),
          ],
        },
        [days.map((day) => Date.parse(day) / 1000), ...series.map((entry) => entry.values)],
        element,
      );
    };
    draw();
    const resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(element.clientWidth, 240), height }));
    resize.observe(element);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', draw);
    const themeChange = new MutationObserver(draw);
    themeChange.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      resize.disconnect();
      themeChange.disconnect();
      scheme.removeEventListener('change', draw);
      plot?.destroy();
    };
  }, [days, series, height]);
  const total = series.map((entry) => `${entry.label}: ${entry.values.reduce((sum, value) => sum + value, 0).toLocaleString()}`).join('; ');
  return <div ref={box} className="tg-chart__plot" role="img" aria-label={`${label}. Totals over ${days.length} days: ${total}.`} />;
}
