import { useWorkers } from "../api/queries.ts";
import { Empty, ErrorMessage, Loading } from "../components/Feedback.tsx";
import { WorkerTable } from "../components/WorkerTable.tsx";
import { usePageTitle } from "../lib/use-page-title.ts";

/**
 * The fleet: every process executing runs on this database, on every machine (`trawl worker`,
 * and `trawl run`, `serve`, `scheduler` while they execute one), as `trawl workers` lists them.
 * Polled every 2 s: other machines report to the database, not to this server's events.
 */
export function WorkersPage() {
  usePageTitle("Workers");
  const { data, error, isPending } = useWorkers();
  return (
    <section className="page">
      <header className="page-header">
        <h1>Workers</h1>
        {data && (
          <span className="muted" data-testid="worker-count">
            {data.workers.length} {data.workers.length === 1 ? "process" : "processes"} · live
          </span>
        )}
      </header>
      <p className="muted">
        Processes executing runs report themselves every second. One silent for {data?.staleAfterSeconds ?? 5}{" "}
        s is marked stale; one silent for a minute is forgotten.
      </p>
      {isPending && <Loading />}
      {error && <ErrorMessage error={error} title="Workers are not available" />}
      {data?.workers.length === 0 && <Empty>No process is executing runs.</Empty>}
      {data && data.workers.length > 0 && <WorkerTable workers={data.workers} />}
    </section>
  );
}
