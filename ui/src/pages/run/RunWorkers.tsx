import { useWorkers } from "../../api/queries.ts";
import type { RunSummary } from "../../api/types.ts";
import { WorkerTable } from "../../components/WorkerTable.tsx";

/** The Workers panel of a run's page: the processes serving the run, live. */
export function RunWorkers({ run }: { run: RunSummary }) {
  const live = run.status === "running" || run.status === "paused" || run.status === "queued";
  const { data } = useWorkers();
  const serving = data?.workers.filter((worker) => worker.runs.includes(run.id)) ?? [];
  if (!live && serving.length === 0) return null;
  return (
    <>
      <h2>Workers</h2>
      {serving.length === 0 ? (
        <p className="muted" data-testid="run-workers-none">
          No process serves this run now.
        </p>
      ) : (
        <WorkerTable workers={serving} testId="run-workers" />
      )}
    </>
  );
}
