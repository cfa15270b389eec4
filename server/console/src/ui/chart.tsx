import { lazy, Suspense } from 'react';
import { Skeleton } from './skeleton.js';

/** One series of a {@link Chart}: a label and one value per x. */
export interface ChartSeries {
  label: string;
  values: number[];
  /** A CSS custom property of the theme, such as "--accent". */
  colorVar: string;
}

/** Props of {@link Chart}. */
export interface ChartProps {
  /** What the chart shows, for screen readers and as the data table's caption. */
  label: string;
  /** The x values: UTC days as ISO instants. */
  days: string[];
  series: ChartSeries[];
  height?: number;
}

const UPlotChart = lazy(() => import('./uplot-chart.js'));

/**
 * A daily bar chart (uPlot, loaded only when a chart is drawn, so first paint does not pay for
 * it), with the same numbers as a table a screen reader or a keyboard user can read.
 */
export function Chart(props: ChartProps) {
  return (
    <figure className="tg-chart">
      <Suspense fallback={<Skeleton lines={4} label={`Loading ${props.label}`} />}>
        <UPlotChart {...props} />
      </Suspense>
      <details className="tg-chart__table">
        <summary>Show as a table</summary>
        <div className="tg-table-scroll" role="region" aria-label={`${props.label} as a table`} tabIndex={0}>
          <table className="tg-table">
            <caption className="visually-hidden">{props.label}</caption>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                {props.series.map((series) => (
                  <th scope="col" key={series.label}>
                    {series.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.days.map((day, index) => (
                <tr key={day}>
                  <td>{day.slice(0, 10)}</td>
                  {props.series.map((series) => (
                    <td key={series.label}>{series.values[index].toLocaleString()}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
