import { Link } from "react-router";
import type { RunSummary } from "../../api/types.ts";
import { ProgressBar } from "../../components/ProgressBar.tsx";
import { RunActions } from "../../components/RunActions.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { TargetGrid } from "../../components/TargetGrid.tsx";
import { formatNumber, percent } from "../../lib/format.ts";

/** The overall counters of a run's summary (live: summaries arrive as the run changes). */
export function overallOf(run: RunSummary) {
  const done = run.pages.done + run.pages.failed;
  return {
    pagesDone: done,
    pagesKnown: done + run.pages.pending,
    records: run.records,
    errors: run.pages.failed,
  };
}

/** An active run on the dashboard: status, live progress, per-target grid and controls. */
export function ActiveRunCard({ run }: { run: RunSummary }) {
  const overall = overallOf(run);
  return (
    <article className="card" data-testid="active-run" data-run-id={run.id}>
      <header className="card-header">
        <StatusBadge status={run.status} />
        <Link to={`/runs/${run.id}`} className="mono">
          {run.id}
        </Link>
        <span className="muted">{run.scraper}</span>
        <span className="spacer" />
        <RunActions run={run} />
      </header>
      {run.pauseReason && run.status === "paused" && <p className="muted">Paused: {run.pauseReason}</p>}
      <div className="overall">
        <ProgressBar done={overall.pagesDone} known={overall.pagesKnown} status={run.status} />
        <span className="overall-figures" data-testid="overall-pages">
          {formatNumber(overall.pagesDone)} / {formatNumber(overall.pagesKnown)} pages (
          {Math.round(percent(overall.pagesDone, overall.pagesKnown))}%) · {formatNumber(overall.records)}{" "}
          records ·{" "}
          <span className={overall.errors > 0 ? "text-bad" : ""}>{formatNumber(overall.errors)} errors</span>
        </span>
      </div>
      <TargetGrid run={run} />
    </article>
  );
}
