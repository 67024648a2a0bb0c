import { Link } from "react-router";
import { useRecentErrors } from "../live/activity.ts";
import { formatDate, formatNumber, formatRelative } from "../lib/format.ts";
import { ErrorMessage, Loading } from "./Feedback.tsx";

/**
 * Runs that failed or have failed requests, newest first, as the server keeps them: each with
 * its error and its failed requests by reason (with one URL), linking to the run.
 */
export function RecentErrors({ limit = 20 }: { limit?: number }) {
  const errors = useRecentErrors(limit);
  if (errors.isPending) return <Loading />;
  if (errors.error) return <ErrorMessage error={errors.error} />;
  const list = errors.data.errors;
  return (
    <ul className="feed" data-testid="recent-errors">
      {list.map((run) => (
        <li key={run.runId} className="feed-item tone-bad" data-testid="recent-error" data-run-id={run.runId}>
          <span className="muted" title={formatDate(run.at)}>
            {formatRelative(run.at)}
          </span>{" "}
          <Link to={`/runs/${run.runId}`}>{run.scraper}</Link>{" "}
          <Link to={`/runs/${run.runId}`} className="mono">
            {run.runId}
          </Link>{" "}
          <span className="muted">{run.status}</span>
          {run.error && (
            <div className="text-bad small" data-testid="recent-error-message">
              {run.error}
            </div>
          )}
          {run.failures.length > 0 && (
            <ul className="failure-groups" data-testid="recent-error-failures">
              {run.failures.map((group) => (
                <li key={group.reason}>
                  <span className="mono">{group.reason}</span> × {formatNumber(group.count)}{" "}
                  <span className="muted mono" title={group.example}>
                    e.g. {group.example}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
      {list.length === 0 && <li className="muted">No failed runs or failed requests.</li>}
    </ul>
  );
}
