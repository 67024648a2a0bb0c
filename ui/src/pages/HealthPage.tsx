import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { api } from "../api/client.ts";
import { keys } from "../api/queries.ts";
import type { Health } from "../api/types.ts";
import { ErrorMessage, Loading } from "../components/Feedback.tsx";
import { SchedulerStatusBox } from "../components/SchedulerStatusBox.tsx";
import { TimeChart } from "../components/TimeChart.tsx";
import { useRecentErrors } from "../live/activity.ts";
import { formatBytes, formatDuration, formatRelative } from "../lib/format.ts";
import { usePageTitle } from "../lib/use-page-title.ts";

/** Samples kept for the charts: 5 minutes at one sample every 2 s. */
const SAMPLES = 150;
const CPU_SERIES = [
  { label: "load 1m", color: "#2563eb" },
  { label: "load 5m", color: "#7c3aed" },
];
const MEMORY_SERIES = [{ label: "memory used %", color: "#059669" }];
const DISK_SERIES = [{ label: "disk used %", color: "#d97706" }];

/**
 * The machine and the server. Machine figures are not events, so this is the one page that
 * fetches periodically (every 2 s, only while it is open).
 */
export function HealthPage() {
  usePageTitle("Health");
  const health = useQuery({
    queryKey: keys.health,
    queryFn: () => api.get<Health>("/api/health"),
    refetchInterval: 2000,
    staleTime: 0,
  });
  const errors = useRecentErrors();
  const [samples, setSamples] = useState<number[][]>([[], [], [], [], []]);

  useEffect(() => {
    const h = health.data;
    if (!h) return;
    const { memory, disk, load } = h.machine;
    const row = [
      health.dataUpdatedAt / 1000,
      load[0] ?? 0,
      load[1] ?? 0,
      (1 - memory.free / memory.total) * 100,
      disk ? (1 - disk.free / disk.total) * 100 : 0,
    ];
    setSamples((current) => current.map((series, i) => [...series, row[i]!].slice(-SAMPLES)));
  }, [health.data, health.dataUpdatedAt]);

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
      </header>
      {health.error && <ErrorMessage error={health.error} />}
      {h && (
        <>
          <div className="chart-grid">
            <div className="card">
              <div className="card-header">
                <strong>CPU load</strong>
                <span className="muted">
                  {h.machine.cpus} CPUs · now {h.machine.load[0]?.toFixed(2)}
                </span>
              </div>
              <TimeChart
                testId="health-cpu"
                series={CPU_SERIES}
                data={[samples[0]!, samples[1]!, samples[2]!]}
              />
            </div>
            <div className="card">
              <div className="card-header">
                <strong>Memory</strong>
                <span className="muted">
                  {formatBytes(h.machine.memory.total - h.machine.memory.free)} of{" "}
                  {formatBytes(h.machine.memory.total)} · server {formatBytes(h.process.rss)}
                </span>
              </div>
              <TimeChart
                testId="health-memory"
                series={MEMORY_SERIES}
                data={[samples[0]!, samples[3]!]}
                max={100}
                unit="%"
              />
            </div>
            <div className="card">
              <div className="card-header">
                <strong>Disk</strong>
                <span className="muted">
                  {h.machine.disk
                    ? `${formatBytes(h.machine.disk.free)} free of ${formatBytes(h.machine.disk.total)}`
                    : "unknown"}
                </span>
              </div>
              <TimeChart
                testId="health-disk"
                series={DISK_SERIES}
                data={[samples[0]!, samples[4]!]}
                max={100}
                unit="%"
              />
            </div>
          </div>
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
      <ul className="feed" data-testid="health-errors">
        {errors.map((item) => (
          <li key={item.key} className="feed-item tone-bad" data-testid="health-error">
            <span className="muted">{formatRelative(item.at)}</span> {item.text}{" "}
            {item.runId && (
              <Link to={`/runs/${item.runId}`} className="mono">
                {item.runId}
              </Link>
            )}
          </li>
        ))}
        {errors.length === 0 && <li className="muted">No errors since this app was opened.</li>}
      </ul>
    </section>
  );
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
