import { useParams } from "react-router";
import { useCaptureCounts, useRun } from "../api/queries.ts";
import { ErrorMessage, Loading } from "../components/Feedback.tsx";
import { ProgressBar } from "../components/ProgressBar.tsx";
import { RunActions } from "../components/RunActions.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { StepPipeline } from "../components/StepPipeline.tsx";
import { TargetGrid } from "../components/TargetGrid.tsx";
import { formatNumber } from "../lib/format.ts";
import { overallOf } from "./dashboard/ActiveRunCard.tsx";
import { LogViewer } from "./run/LogViewer.tsx";
import { RecordsTable } from "./run/RecordsTable.tsx";
import { RunFacts } from "./run/RunFacts.tsx";
import { RunResources } from "./run/RunResources.tsx";
import { RunWorkers } from "./run/RunWorkers.tsx";
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
      <RunFacts run={run} captures={captures} />
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
      <RunWorkers run={run} />
      <RunStatsPanel run={run} />
      <RunResources run={run} />
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
