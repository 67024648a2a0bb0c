import { useEffect, useRef, useSyncExternalStore } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** The system's dark-theme query, made on first use (this module's helpers also run outside a browser). */
let darkQuery: MediaQueryList | undefined;
const dark = () => (darkQuery ??= window.matchMedia("(prefers-color-scheme: dark)"));
const onSchemeChange = (listener: () => void) => {
  dark().addEventListener("change", listener);
  return () => dark().removeEventListener("change", listener);
};

/** A colour of the theme (styles.css), resolved: a canvas cannot read CSS variables. */
function themeColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

export interface Series {
  label: string;
  color: string;
}

/**
 * The x range of a chart: the `windowSeconds` before now (or before the last point, if later).
 * Computed from the window, never from uPlot's own auto range: with a single point uPlot spans
 * `86400 / ms` units after it, which in seconds is 1000 days, so the first sample was drawn at
 * the far left of a range labelled three years ahead ("8/31/29").
 */
export function xRange(
  xs: ArrayLike<number>,
  windowSeconds: number,
  nowSeconds = Date.now() / 1000,
): [number, number] {
  const last = xs.length > 0 ? xs[xs.length - 1]! : nowSeconds;
  const end = Math.max(nowSeconds, last);
  return [end - windowSeconds, end];
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayOfMonth = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

/** Tick labels: the time of day, with the date under the first tick and under each new day. */
export function timeLabels(ticks: number[]): string[] {
  let previousDay = "";
  return ticks.map((seconds) => {
    const date = new Date(seconds * 1000);
    const day = dayOfMonth.format(date);
    const label = day === previousDay ? timeOfDay.format(date) : `${timeOfDay.format(date)}\n${day}`;
    previousDay = day;
    return label;
  });
}

/**
 * The uPlot options of a chart drawn in `element`: the x axis over the window (tick labels from
 * {@link timeLabels}), y from 0 to `max` (else above the data), the theme's colours, and a draw
 * hook that writes what is drawn onto the element's data attributes.
 */
function chartOptions(
  element: HTMLDivElement,
  chart: {
    series: Series[];
    height: number;
    max: number | undefined;
    unit: string;
    windowSeconds: number;
    endSeconds: number | undefined;
  },
): uPlot.Options {
  const { series, height, max, unit, windowSeconds, endSeconds } = chart;
  let labels: string[] = [];
  const text = themeColor("--muted");
  const lines = { stroke: themeColor("--border"), width: 1 };
  return {
    width: element.clientWidth || 400,
    height,
    legend: { show: series.length > 1, live: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: (u) => xRange(u.data[0], windowSeconds, endSeconds) },
      y: { range: (_u, _min, dataMax) => [0, max ?? Math.max(1, (dataMax ?? 0) * 1.2)] },
    },
    axes: [
      {
        stroke: text,
        grid: lines,
        ticks: lines,
        space: 80,
        values: (_u, ticks) => (labels = timeLabels(ticks)),
      },
      {
        stroke: text,
        grid: lines,
        ticks: lines,
        size: 50,
        values: (_u, ticks) => ticks.map((t) => `${+t.toFixed(2)}${unit}`),
      },
    ],
    series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, fill: `${s.color}22` }))],
    hooks: {
      draw: [
        (u) => {
          const iso = (seconds: number | undefined) =>
            seconds === undefined ? "" : new Date(seconds * 1000).toISOString();
          element.dataset.points = String(u.data[0].length);
          element.dataset.xMin = iso(u.scales.x!.min);
          element.dataset.xMax = iso(u.scales.x!.max);
          element.dataset.xLabels = labels.join("|");
        },
      ],
    },
  };
}

/**
 * A line chart of a time series (uPlot). `data[0]` are Unix **seconds** (uPlot's unit; convert
 * from the API's milliseconds before), the other arrays one series each (null: a gap). The plot
 * shows the last `windowSeconds`; it is created once per window and only given new data after,
 * which keeps live updates cheap. The element carries what is drawn for tests and tools:
 * `data-points`, `data-x-min`/`data-x-max` (ISO) and `data-x-labels` (tick labels, `|`-separated).
 */
export function TimeChart(props: {
  series: Series[];
  data: (number | null)[][];
  windowSeconds: number;
  height?: number;
  max?: number;
  unit?: string;
  /** Where the window ends (Unix seconds), e.g. when a finished run ended. @defaultValue now */
  endSeconds?: number;
  testId: string;
}) {
  const { series, data, windowSeconds, height = 160, max, unit = "", endSeconds, testId } = props;
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;
  // Drawn again in the theme's colours when the system switches between light and dark.
  const isDark = useSyncExternalStore(onSchemeChange, () => dark().matches);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const options = chartOptions(element, { series, height, max, unit, windowSeconds, endSeconds });
    plot.current = new uPlot(options, latest.current as uPlot.AlignedData, element);
    // Follow the width of the page (the sidebar layout is fluid).
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: element.clientWidth, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The series and scales are fixed per chart and window; data changes go through setData below.
  }, [series.length, height, max, unit, windowSeconds, endSeconds, isDark]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return <div ref={box} className="chart" data-testid={testId} />;
}
