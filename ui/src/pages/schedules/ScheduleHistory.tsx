import { Link } from "react-router";
import type { ScheduleDetail } from "../../api/types.ts";
import { Empty } from "../../components/Feedback.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { formatDuration, formatInZone } from "../../lib/format.ts";

/** What each past occurrence of a schedule became: due time (in the schedule's zone), status, run. */
export function ScheduleHistory({ schedule }: { schedule: ScheduleDetail }) {
  return schedule.history.length === 0 ? (
    <Empty>This schedule has not fired yet.</Empty>
  ) : (
    <table className="table compact" data-testid="schedule-history">
      <thead>
        <tr>
          <th>Due</th>
          <th>Kind</th>
          <th>Attempt</th>
          <th>Status</th>
          <th>Reason</th>
          <th>Run</th>
          <th className="num">Duration</th>
        </tr>
      </thead>
      <tbody>
        {schedule.history.map((o) => (
          <tr key={`${o.due}-${o.attempt}`} data-testid="occurrence-row">
            <td>{formatInZone(o.due, schedule.zone)}</td>
            <td>{o.kind}</td>
            <td className="num">{o.attempt}</td>
            <td>
              <StatusBadge status={o.status} testId="occurrence-status" />
            </td>
            <td className="muted">{o.reason ?? ""}</td>
            <td className="mono">{o.run ? <Link to={`/runs/${o.run}`}>{o.run}</Link> : "—"}</td>
            <td className="num">{formatDuration(o.durationMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
