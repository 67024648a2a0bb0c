import { Link } from "react-router";
import { useRunList } from "../../api/queries.ts";
import { ENDED_RUN_STATUSES, type ActivityItem } from "../../api/types.ts";
import { ErrorMessage, Loading } from "../../components/Feedback.tsx";
import { RecentErrors } from "../../components/RecentErrors.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { describeActivity, useActivityFeed } from "../../live/activity.ts";
import { formatDate, formatDuration, formatNumber, formatRelative, runDuration } from "../../lib/format.ts";

const FINISHED = new Set<string>(ENDED_RUN_STATUSES);

/** The last finished runs, the activity feed and the recent errors, as the server keeps them. */
export function RecentActivity() {
  const recent = useRunList({ limit: 20 });
  const finished = (recent.data?.runs ?? []).filter((run) => FINISHED.has(run.status)).slice(0, 8);
  return (
    <>
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
          <ActivityFeed />
        </div>
      </div>
      <h2>
        Recent errors{" "}
        <Link to="/health" className="muted small">
          all on Health
        </Link>
      </h2>
      <RecentErrors limit={5} />
    </>
  );
}

/** What happened, newest first, with older entries a click away. */
export function ActivityFeed() {
  const feed = useActivityFeed(15);
  if (feed.isPending) return <Loading />;
  if (feed.error) return <ErrorMessage error={feed.error} />;
  return (
    <>
      <ul className="feed" data-testid="activity">
        {feed.items.map((item) => (
          <ActivityEntry key={item.id} item={item} />
        ))}
        {feed.items.length === 0 && <li className="muted">Nothing has happened yet.</li>}
      </ul>
      {feed.hasMore && (
        <button
          type="button"
          className="button small"
          data-testid="activity-more"
          disabled={feed.loadingMore}
          onClick={feed.loadMore}
        >
          {feed.loadingMore ? "Loading…" : "Older"}
        </button>
      )}
    </>
  );
}

function ActivityEntry({ item }: { item: ActivityItem }) {
  const { tone, text } = describeActivity(item);
  return (
    <li
      className={`feed-item tone-${tone}`}
      data-testid="activity-item"
      data-kind={item.kind}
      data-id={item.id}
    >
      <span className="muted" title={formatDate(item.at)}>
        {formatRelative(item.at)}
      </span>{" "}
      {text}
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
  );
}
