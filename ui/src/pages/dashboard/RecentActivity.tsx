import { Link } from "react-router";
import { useRunList } from "../../api/queries.ts";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { useActivity } from "../../live/activity.ts";
import { formatDate, formatDuration, formatNumber, formatRelative, runDuration } from "../../lib/format.ts";

const FINISHED = new Set(["succeeded", "failed", "cancelled", "interrupted"]);

/** The last finished runs (stored) and what happened since the app was opened (events). */
export function RecentActivity() {
  const recent = useRunList({ limit: 20 });
  const activity = useActivity();
  const finished = (recent.data?.runs ?? []).filter((run) => FINISHED.has(run.status)).slice(0, 8);
  return (
    <div className="columns">
      <div>
        <h2>Recently finished</h2>
        <table className="table compact" data-testid="recent-runs">
          <tbody>
            {finished.map((run) => (
              <tr key={run.id} data-testid="recent-run">
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>
                  <Link to={`/runs/${run.id}`}>{run.scraper}</Link>
                </td>
                <td className="num">{formatNumber(run.records)} rec</td>
                <td className="num">{formatDuration(runDuration(run))}</td>
                <td className="muted">{formatDate(run.finishedAt)}</td>
              </tr>
            ))}
            {finished.length === 0 && (
              <tr>
                <td className="muted">No finished runs yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div>
        <h2>Activity</h2>
        <ul className="feed" data-testid="activity">
          {activity.slice(0, 15).map((item) => (
            <li key={item.key} className={`feed-item tone-${item.tone}`} data-testid="activity-item">
              <span className="muted">{formatRelative(item.at)}</span> {item.text}
              {item.runId && (
                <>
                  {" "}
                  <Link to={`/runs/${item.runId}`} className="mono">
                    {item.runId}
                  </Link>
                </>
              )}
              {item.scheduleId && (
                <>
                  {" "}
                  <Link to={`/schedules/${item.scheduleId}`} className="mono">
                    {item.scheduleId}
                  </Link>
                </>
              )}
            </li>
          ))}
          {activity.length === 0 && (
            <li className="muted">Nothing has happened since this page was opened.</li>
          )}
        </ul>
      </div>
    </div>
  );
}
