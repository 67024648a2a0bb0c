import { Link, useParams } from "react-router";
import { useCaptureCounts, useRun } from "../api/queries.ts";
import { ErrorMessage, Loading } from "../components/Feedback.tsx";
import { ProgressBar } from "../components/ProgressBar.tsx";
import { RunActions } from "../components/RunActions.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { StepPipeline } from "../components/StepPipeline.tsx";
import { TargetGrid } from "../components/TargetGrid.tsx";
import { formatDate, formatDuration, formatNumber, runDuration } from "../lib/format.ts";
import { overallOf } from "./dashboard/ActiveRunCard.tsx";
import { LogViewer } from "./run/LogViewer.tsx";
import { RecordsTable } from "./run/RecordsTable.tsx";
import { RunChanges } from "./run/RunChanges.tsx";
import { RunErrors, RunStatsPanel } from "./run/RunStatsPanel.tsx";
import { ScreenshotGallery } from "./run/ScreenshotGallery.tsx";
import { SelectorHealth } from "./run/SelectorHealth.tsx";
import { usePageTitle } from "../lib/use-page-title.ts";

/** Everything about one run, live while it runs. */
export function RunDetailPage() {
  const id = useParams().id ?? "";
  usePageTitle(`Run ${id}`);
  const { data: run, error, isPending } = useRun(id);
  const captures = useCaptureCounts(id).data;
  if (isPending) return <Loading />;
  if (error || !run) return <ErrorMessage error={error} title={`Run ${id}`} />;
  const overall = overallOf(run);
  return (
    <section className="page" data-testid="run-detail" data-run-id={run.id}>
      <header className="page-header">
        <h1 className="mono">{run.id}</h1>
        <StatusBadge status={run.status} />
        <span className="spacer" />
        <RunActions run={run} />
      </header>
      <dl className="facts">
        <div>
          <dt>Scraper</dt>
          <dd>
            {run.source ? (
              <Link to={`/scrapers/view?file=${encodeURIComponent(run.source)}`}>{run.scraper}</Link>
            ) : (
              run.scraper
            )}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDate(run.createdAt)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDate(run.startedAt)}</dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>{formatDate(run.finishedAt)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(runDuration(run))}</dd>
        </div>
        <div>
          <dt>Records</dt>
          <dd data-testid="run-records">{formatNumber(run.records)}</dd>
        </div>
        <div>
          <dt>Dataset</dt>
          <dd data-testid="run-dataset">
            {run.dataset ? (
              <Link to={`/datasets#${encodeURIComponent(run.dataset.name)}`}>
                {run.dataset.name} v{run.dataset.version}
              </Link>
            ) : (
              "—"
            )}
          </dd>
        </div>
        <div>
          <dt>Compare</dt>
          <dd>
            <Link to={`/compare?b=${run.id}`}>with another run</Link>
          </dd>
        </div>
        {captures && captures.page + captures.response + captures.action > 0 && (
          <div>
            <dt>Recording</dt>
            <dd>
              <Link to={`/runs/${run.id}/replay`} data-testid="replay-link">
                Replay
              </Link>{" "}
              <span className="muted small">
                {formatNumber(captures.page)} pages · {formatNumber(captures.response)} responses ·{" "}
                {formatNumber(captures.action)} actions
              </span>
            </dd>
          </div>
        )}
      </dl>
      {run.error && (
        <p className="notice notice-error" data-testid="run-error">
          {run.error}
        </p>
      )}
      {run.pauseReason && run.status === "paused" && (
        <p className="notice notice-warn">Paused: {run.pauseReason}</p>
      )}
      <div className="overall">
        <ProgressBar done={overall.pagesDone} known={overall.pagesKnown} status={run.status} />
        <span className="overall-figures" data-testid="overall-pages">
          {formatNumber(overall.pagesDone)} / {formatNumber(overall.pagesKnown)} pages ·{" "}
          {formatNumber(overall.errors)} errors
        </span>
      </div>
      <h2>Steps</h2>
      <StepPipeline steps={run.steps} />
      <h2>Targets</h2>
      <TargetGrid run={run} />
      <RunStatsPanel run={run} />
      <RunErrors run={run} />
      <SelectorHealth health={run.selectors} />
      <ScreenshotGallery runId={run.id} />
      <LogViewer runId={run.id} />
      <RecordsTable runId={run.id} sources={(captures?.page ?? 0) > 0} />
      {/* A live run changes under the comparison; any other says what it compares, or why not. */}
      {run.status !== "queued" && run.status !== "running" && <RunChanges runId={run.id} />}
    </section>
  );
}
