import {
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Tooltip,
  Legend,
  Filler,
);

interface Series {
  label: string;
  values: number[];
}

interface LineChartProps {
  /** What the chart shows, read to screen-reader users in place of the picture. */
  title: string;
  labels: string[];
  series: Series[];
}

const palette = ['--accent', '--ok', '--warn', '--danger', '--muted'];

/** A Chart.js line chart in the page's colours, redrawn when its data or the theme changes. */
export function LineChart({ title, labels, series }: LineChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const style = getComputedStyle(document.documentElement);
    const color = (name: string) => style.getPropertyValue(name).trim();
    const chart = new Chart(canvas.current!, {
      type: 'line',
      data: {
        labels,
        datasets: series.map((entry, index) => ({
          label: entry.label,
          data: entry.values,
          borderColor: color(palette[index % palette.length]!),
          backgroundColor: color(palette[index % palette.length]!),
          tension: 0.25,
          pointRadius: 2,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        color: color('--text'),
        scales: {
          x: { ticks: { color: color('--muted') }, grid: { color: color('--border') } },
          y: { beginAtZero: true, ticks: { color: color('--muted') }, grid: { color: color('--border') } },
        },
      },
    });
    return () => chart.destroy();
  }, [labels, series]);
  const summary = series.map(
    (entry) => `${entry.label}: ${entry.values.reduce((a, b) => a + b, 0)} in total`,
  );
  return (
    <figure className="chart">
      <canvas ref={canvas} role="img" aria-label={`${title}. ${summary.join('; ')}`} />
    </figure>
  );
}
