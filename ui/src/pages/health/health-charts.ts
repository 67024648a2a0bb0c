import type { Health, HealthSample } from "../../api/types.ts";
import type { Series } from "../../components/TimeChart.tsx";
import { formatBytes } from "../../lib/format.ts";

const MB = 1024 * 1024;

/** One chart: its series and how each is read from a sample. */
export interface ChartSpec {
  title: string;
  testId: string;
  /** A value of null leaves a gap (not measured then). */
  series: (Series & { value: (s: HealthSample) => number | null })[];
  max?: number;
  unit?: string;
}

/** The server's event-loop lag over each interval (null before it was sampled: a gap). */
export const LAG_CHART: ChartSpec = {
  title: "Event-loop lag",
  testId: "health-event-loop-lag",
  series: [
    { label: "p99 ms", color: "#ea580c", value: (s) => s.process.eventLoopLagMs?.p99 ?? null },
    { label: "max ms", color: "#9333ea", value: (s) => s.process.eventLoopLagMs?.max ?? null },
  ],
};

/** The Health page's charts, in order. */
export const CHARTS: ChartSpec[] = [
  {
    title: "CPU load",
    testId: "health-cpu",
    series: [
      { label: "load 1m", color: "#2563eb", value: (s) => s.machine.load[0] ?? 0 },
      { label: "load 5m", color: "#7c3aed", value: (s) => s.machine.load[1] ?? 0 },
    ],
  },
  {
    title: "Memory",
    testId: "health-memory",
    series: [{ label: "memory used %", color: "#059669", value: (s) => used(s.machine.memory) }],
    max: 100,
    unit: "%",
  },
  {
    title: "Disk",
    testId: "health-disk",
    series: [
      { label: "disk used %", color: "#d97706", value: (s) => (s.machine.disk ? used(s.machine.disk) : 0) },
    ],
    max: 100,
    unit: "%",
  },
  {
    title: "Server memory",
    testId: "health-process-memory",
    series: [
      { label: "RSS MB", color: "#0891b2", value: (s) => s.process.rss / MB },
      { label: "heap MB", color: "#db2777", value: (s) => s.process.heapUsed / MB },
    ],
  },
  {
    title: "Server CPU",
    testId: "health-process-cpu",
    series: [{ label: "% of one core", color: "#dc2626", value: (s) => s.process.cpuPercent }],
    unit: "%",
  },
  LAG_CHART,
  {
    title: "Runs",
    testId: "health-runs",
    series: [
      { label: "active", color: "#2563eb", value: (s) => s.runs.active },
      { label: "queued", color: "#9ca3af", value: (s) => s.runs.queued },
      { label: "requests/s", color: "#059669", value: (s) => s.runs.requestsPerSecond },
    ],
  },
];

function used(space: { total: number; free: number }): number {
  return space.total > 0 ? (1 - space.free / space.total) * 100 : 0;
}

/** The current figures in a chart's header. */
export function figures(testId: string, h: Health, last: HealthSample | undefined): string {
  switch (testId) {
    case "health-cpu":
      return `${h.machine.cpus} CPUs · now ${h.machine.load[0]?.toFixed(2)}`;
    case "health-memory":
      return `${formatBytes(h.machine.memory.total - h.machine.memory.free)} of ${formatBytes(h.machine.memory.total)} · server ${formatBytes(h.process.rss)}`;
    case "health-disk":
      return h.machine.disk
        ? `${formatBytes(h.machine.disk.free)} free of ${formatBytes(h.machine.disk.total)}`
        : "unknown";
    case "health-process-memory":
      return `heap ${formatBytes(h.process.heapUsed)}`;
    case "health-process-cpu":
      return last ? `now ${last.process.cpuPercent.toFixed(1)} %` : "";
    case "health-event-loop-lag":
      return lagFigure(last);
    default:
      return `${h.engine.activeRuns.length} active · ${h.engine.queuedRuns.length} queued`;
  }
}

/** The last interval's event-loop lag, as the lag chart's header says it. */
export function lagFigure(last: HealthSample | undefined): string {
  const lag = last?.process.eventLoopLagMs;
  return lag ? `p99 ${lag.p99.toFixed(1)} ms · max ${lag.max.toFixed(1)} ms` : "";
}

/**
 * The x column (Unix seconds, as uPlot wants them; the API's are milliseconds) and a way to read
 * each series' column. Where samples are missing (the server was not running) a null point
 * breaks the line instead of joining across the gap.
 */
export function chartColumns(samples: HealthSample[], intervalMs: number) {
  const rows: (HealthSample | null)[] = [];
  const x: number[] = [];
  samples.forEach((sample, i) => {
    const previous = samples[i - 1];
    if (previous && sample.at - previous.at > 3 * intervalMs) {
      rows.push(null);
      x.push((previous.at + intervalMs) / 1000);
    }
    rows.push(sample);
    x.push(sample.at / 1000);
  });
  return { x, values: (value: (s: HealthSample) => number | null) => rows.map((s) => (s ? value(s) : null)) };
}
