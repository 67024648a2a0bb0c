import { Link } from "react-router";
import type { RunSummary } from "../../api/types.ts";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { formatDate, formatDuration, formatNumber, runDuration } from "../../lib/format.ts";

/** The History page's runs, each with a box to tick it for comparing. */
export function RunHistoryTable({
  runs,
  selected,
  onToggle,
}: {
  runs: RunSummary[];
  /** The ticked runs' ids. */
  selected: string[];
  onToggle(id: string): void;
}) {
  return (
    <table className="table" data-testid="runs-table">
      <thead>
        <tr>
          <th />
          <th>Run</th>
          <th>Scraper</th>
          <th>Status</th>
          <th>Created</th>
          <th className="num">Duration</th>
          <th className="num">Pages</th>
          <th className="num">Records</th>
          <th className="num">Errors</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-testid="run-row" data-run-id={run.id}>
            <td>
              <input
                type="checkbox"
                checked={selected.includes(run.id)}
                onChange={() => onToggle(run.id)}
                aria-label={`select ${run.id}`}
              />
            </td>
            <td className="mono">
              <Link to={`/runs/${run.id}`}>{run.id}</Link>
            </td>
            <td>{run.scraper}</td>
            <td>
              <StatusBadge status={run.status} />
            </td>
            <td className="muted">{formatDate(run.createdAt)}</td>
            <td className="num">{formatDuration(runDuration(run))}</td>
            <td className="num">{formatNumber(run.pages.done)}</td>
            <td className="num">{formatNumber(run.records)}</td>
            <td className={run.pages.failed > 0 ? "num text-bad" : "num"}>
              {formatNumber(run.pages.failed)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
