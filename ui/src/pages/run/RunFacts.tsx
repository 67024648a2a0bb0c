import { Link } from "react-router";
import type { CapturePage, RunSummary } from "../../api/types.ts";
import { formatDate, formatDuration, formatNumber, runDuration } from "../../lib/format.ts";

/**
 * A run's facts: its scraper, times, records and dataset, a link to compare it, and its recording
 * (with a link to replay it) when it has one.
 */
export function RunFacts({
  run,
  captures,
}: {
  run: RunSummary;
  captures: CapturePage["counts"] | undefined;
}) {
  return (
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
  );
}
