import { useState } from "react";
import { Link } from "react-router";
import { DiagnosticsButton } from "../components/DiagnosticsButton.tsx";
import { ErrorMessage, Loading } from "../components/Feedback.tsx";
import { RecentErrors } from "../components/RecentErrors.tsx";
import { SchedulerStatusBox } from "../components/SchedulerStatusBox.tsx";
import { TimeChart } from "../components/TimeChart.tsx";
import { formatDuration } from "../lib/format.ts";
import { usePageTitle } from "../lib/use-page-title.ts";
import { CrashReports } from "./health/CrashReports.tsx";
import { GovernorBox } from "./health/GovernorBox.tsx";
import { CHARTS, figures } from "./health/health-charts.ts";
import { useHealth } from "./health/use-health.ts";

const MINUTE = 60_000;
/** The time ranges the charts offer; the server keeps 24 hours. */
const RANGES = [
  { label: "15 min", ms: 15 * MINUTE },
  { label: "1 hour", ms: 60 * MINUTE },
  { label: "6 hours", ms: 6 * 60 * MINUTE },
  { label: "24 hours", ms: 24 * 60 * MINUTE },
];

/**
 * The machine and the server, now and over the chosen range. The charts draw the samples the
 * server stored (every 10 s, kept 24 hours), then append each `health.sampled` event; the
 * figures refresh with each sample. Recent errors are the server's too.
 */
export function HealthPage() {
  usePageTitle("Health");
  const [range, setRange] = useState(RANGES[1]!.ms);
  const { health, history, samples, chartData } = useHealth(range);

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
        <DiagnosticsButton />
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
            <GovernorBox governor={h.governor} />
          </div>
          <h2>Scheduler</h2>
          <SchedulerStatusBox status={h.scheduler} />
        </>
      )}
      <h2>Crash reports</h2>
      <CrashReports />
      <p>
        <Link to="/logs" data-testid="health-logs-link">
          Process logs →
        </Link>
      </p>
      <h2>Recent errors</h2>
      <div data-testid="health-errors">
        <RecentErrors />
      </div>
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
