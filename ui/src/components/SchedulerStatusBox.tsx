import type { SchedulerStatus } from "../api/types.ts";
import { formatDate } from "../lib/format.ts";

/** Which processes run the scheduler, and which of them holds the lease (fires schedules). */
export function SchedulerStatusBox({ status }: { status: SchedulerStatus | undefined }) {
  if (!status) return null;
  return (
    <div className="card" data-testid="scheduler-status" data-running={status.running}>
      <div className="card-header">
        <strong>Scheduler</strong>
        <span className={status.running ? "badge status-succeeded" : "badge status-failed"}>
          {status.running ? "running" : "not running"}
        </span>
      </div>
      {!status.running && (
        <p className="muted">
          No scheduler is running: schedules fire only while `trawl serve` (or `trawl scheduler`) runs.
        </p>
      )}
      {status.schedulers.length > 0 && (
        <table className="table compact">
          <thead>
            <tr>
              <th>Process</th>
              <th>Role</th>
              <th>Last check</th>
              <th className="num">Checked</th>
              <th className="num">Runs started</th>
              <th>Next due</th>
            </tr>
          </thead>
          <tbody>
            {status.schedulers.map((s) => (
              <tr key={`${s.host}-${s.pid}`}>
                <td className="mono">
                  {s.host}:{s.pid}
                </td>
                <td>{s.leader ? "leader" : "standby"}</td>
                <td>{formatDate(s.lastCheck)}</td>
                <td className="num">{s.schedulesChecked}</td>
                <td className="num">{s.runsStarted}</td>
                <td>{formatDate(s.nextDue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
