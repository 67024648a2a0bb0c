import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { api, query } from "../api/client.ts";
import { keys } from "../api/queries.ts";
import type { Health, HealthSample, HealthSamples } from "../api/types.ts";
import { ErrorMessage, Loading } from "../components/Feedback.tsx";
import { RecentErrors } from "../components/RecentErrors.tsx";
import { SchedulerStatusBox } from "../components/SchedulerStatusBox.tsx";
import { TimeChart, type Series } from "../components/TimeChart.tsx";
import { useLiveEvents } from "../live/events.ts";
import { formatBytes, formatDuration } from "../lib/format.ts";
import { usePageTitle } from "../lib/use-page-title.ts";

const MINUTE = 60_000;
/** The time ranges the charts offer; the server keeps 24 hours. */
const RANGES = [
  { label: "15 min", ms: 15 * MINUTE },
  { label: "1 hour", ms: 60 * MINUTE },
  { label: "6 hours", ms: 6 * 60 * MINUTE },
  { label: "24 hours", ms: 24 * 60 * MINUTE },
];
const MB = 1024 * 1024;

/** One chart: its series and how each is read from a sample. */
interface ChartSpec {
  title: string;
  testId: string;
  series: (Series & { value: (s: HealthSample) => number })[];
  max?: number;
  unit?: string;
}

const CHARTS: ChartSpec[] = [
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

/**
 * The machine and the server, now and over the chosen range. The charts draw the samples the
 * server stored (every 10 s, kept 24 hours), then append each `health.sampled` event; the
 * figures refresh with each sample. Recent errors are the server's too.
 */
export function HealthPage() {
  usePageTitle("Health");
  const client = useQueryClient();
  const [range, setRange] = useState(RANGES[1]!.ms);
  const health = useQuery({ queryKey: keys.health, queryFn: () => api.get<Health>("/api/health") });
  const history = useQuery({
    queryKey: keys.healthSamples(range),
    queryFn: () =>
      api.get<HealthSamples>(
        `/api/health/samples${query({ from: new Date(Date.now() - range).toISOString() })}`,
      ),
  });
  useLiveEvents((message) => {
    if (message.type !== "health.sampled") return;
    client.setQueriesData<HealthSamples>({ queryKey: ["health-samples"] }, (data) =>
      data ? withSample(data, message.sample) : data,
    );
    void client.invalidateQueries({ queryKey: keys.health });
  });
  const samples = history.data?.samples;
  const intervalMs = history.data?.intervalMs ?? 10_000;
  // One data set per chart, rebuilt only when the samples change (not when the figures refresh).
  const chartData = useMemo(() => {
    const columns = chartColumns(samples ?? [], intervalMs);
    return CHARTS.map((chart) => [columns.x, ...chart.series.map((s) => columns.values(s.value))]);
  }, [samples, intervalMs]);

  if (health.isPending) return <Loading />;
  const h = health.data;
  return (
    <section className="page">
      <header className="page-header">
        <h1>Health</h1>
        {h && (
          <span className="muted">
            trawl {h.version} · up {formatDuration(h.uptimeSeconds * 1000)}
          </span>
        )}
        <div className="range-picker" role="group" aria-label="Time range" data-testid="health-range">
          {RANGES.map((option) => (
            <button
              key={option.ms}
              type="button"
              className="button small"
              aria-pressed={option.ms === range}
              onClick={() => setRange(option.ms)}
            >
              {option.label}
            </button>
          ))}
        </div>
      </header>
      {health.error && <ErrorMessage error={health.error} />}
      {history.error && <ErrorMessage error={history.error} title="Stored samples" />}
      {h && (
        <div className="chart-grid">
          {CHARTS.map((chart, i) => (
            <div className="card" key={chart.testId}>
              <div className="card-header">
                <strong>{chart.title}</strong>
                <span className="muted">{figures(chart.testId, h, samples?.at(-1))}</span>
              </div>
              <TimeChart
                testId={chart.testId}
                series={chart.series}
                data={chartData[i]!}
                windowSeconds={range / 1000}
                {...(chart.max !== undefined && { max: chart.max })}
                {...(chart.unit !== undefined && { unit: chart.unit })}
              />
            </div>
          ))}
        </div>
      )}
      {h && (
        <>
          <h2>Engine</h2>
          <div className="card" data-testid="health-engine">
            <RunIds label="Active runs" ids={h.engine.activeRuns} testId="health-active-runs" />
            <RunIds label="Queued runs" ids={h.engine.queuedRuns} testId="health-queued-runs" />
          </div>
          <h2>Scheduler</h2>
          <SchedulerStatusBox status={h.scheduler} />
        </>
      )}
      <h2>Recent errors</h2>
      <div data-testid="health-errors">
        <RecentErrors />
      </div>
    </section>
  );
}

/** The current figures in a chart's header. */
function figures(testId: string, h: Health, last: HealthSample | undefined): string {
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
    default:
      return `${h.engine.activeRuns.length} active · ${h.engine.queuedRuns.length} queued`;
  }
}

/** The stored samples with a live one appended (once: a sample both fetched and streamed is not doubled). */
function withSample(data: HealthSamples, sample: HealthSample): HealthSamples {
  const last = data.samples.at(-1);
  if (last && sample.at <= last.at) return data;
  const from = sample.at - (data.until - data.from);
  return { ...data, samples: [...data.samples.filter((s) => s.at >= from), sample] };
}

/**
 * The x column (Unix seconds, as uPlot wants them; the API's are milliseconds) and a way to read
 * each series' column. Where samples are missing (the server was not running) a null point
 * breaks the line instead of joining across the gap.
 */
function chartColumns(samples: HealthSample[], intervalMs: number) {
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
  return { x, values: (value: (s: HealthSample) => number) => rows.map((s) => (s ? value(s) : null)) };
}

function RunIds({ label, ids, testId }: { label: string; ids: string[]; testId: string }) {
  return (
    <p data-testid={testId} data-count={ids.length}>
      <strong>{label}:</strong>{" "}
      {ids.length === 0
        ? "none"
        : ids.map((id) => (
            <Link key={id} to={`/runs/${id}`} className="mono chip">
              {id}
            </Link>
          ))}
    </p>
  );
}
