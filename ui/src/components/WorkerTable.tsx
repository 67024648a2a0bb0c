import { Link } from "react-router";
import type { FleetWorker } from "../api/types.ts";
import { formatDate, formatNumber, formatRelative } from "../lib/format.ts";

/**
 * Processes executing runs, one row each: where they run, what they serve, how fast, and when
 * they last reported (a stale one, silent for a few seconds, is marked: killed, stopped or stuck).
 */
export function WorkerTable({
  workers,
  testId = "worker-table",
}: {
  workers: FleetWorker[];
  testId?: string;
}) {
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th>Host</th>
          <th className="num">PID</th>
          <th>Kind</th>
          <th>Runs</th>
          <th className="num">Leases</th>
          <th className="num">Pages/s</th>
          <th>Last heartbeat</th>
        </tr>
      </thead>
      <tbody>
        {workers.map((worker) => (
          <tr
            key={worker.id}
            data-testid="worker-row"
            data-worker={worker.id}
            data-stale={worker.stale}
            className={worker.stale ? "muted" : undefined}
          >
            <td className="mono" title={worker.id}>
              {worker.host}
            </td>
            <td className="num mono">{worker.pid}</td>
            <td>{worker.kind}</td>
            <td data-testid="worker-runs">
              {worker.runs.length === 0 ? (
                <span className="muted">idle</span>
              ) : (
                worker.runs.map((id) => (
                  <Link key={id} to={`/runs/${id}`} className="mono chip">
                    {id}
                  </Link>
                ))
              )}
            </td>
            <td className="num">{formatNumber(worker.leases)}</td>
            <td className="num" data-testid="worker-pace">
              {formatNumber(worker.pagesPerSecond)}
            </td>
            <td title={formatDate(worker.heartbeatAt)}>
              {formatRelative(worker.heartbeatAt)}{" "}
              {worker.stale && (
                <span className="badge status-stale" data-testid="worker-stale">
                  stale
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
