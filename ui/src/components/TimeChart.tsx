import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** The time span the charts show (the health page keeps that many samples). */
const WINDOW_SECONDS = 300;

export interface Series {
  label: string;
  color: string;
}

/**
 * A small live line chart (uPlot): `data[0]` are unix seconds, the other arrays one series each.
 * The plot is created once and only given new data afterwards, which keeps 2 s updates cheap.
 */
export function TimeChart(props: {
  series: Series[];
  data: number[][];
  height?: number;
  max?: number;
  unit?: string;
  testId: string;
}) {
  const { series, data, height = 160, max, unit = "", testId } = props;
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: element.clientWidth || 400,
      height,
      legend: { show: series.length > 1, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // Always the last 5 minutes, so a new chart does not stretch its first samples over the width.
        x: { time: true, auto: true, range: (_u, _min, dataMax) => [dataMax - WINDOW_SECONDS, dataMax] },
        y: { range: (_u, _min, dataMax) => [0, max ?? Math.max(1, dataMax * 1.2)] },
      },
      axes: [
        { stroke: "#6b7280", space: 80 },
        { stroke: "#6b7280", size: 50, values: (_u, ticks) => ticks.map((t) => `${+t.toFixed(2)}${unit}`) },
      ],
      series: [
        {},
        ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, fill: `${s.color}22` })),
      ],
    };
    plot.current = new uPlot(options, [[], ...series.map(() => [])] as uPlot.AlignedData, element);
    // Follow the width of the page (the sidebar layout is fluid).
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: element.clientWidth, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The series and scale are fixed per chart; data changes go through setData below.
  }, [series.length, height, max, unit]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return <div ref={box} className="chart" data-testid={testId} />;
}
