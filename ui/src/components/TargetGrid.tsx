import type { RunSummary } from "../api/types.ts";
import { formatNumber, percent } from "../lib/format.ts";
import { StatusBadge } from "./StatusBadge.tsx";

/** One row per target (like a status board per site): status, pages, records, errors. */
export function TargetGrid({ run }: { run: RunSummary }) {
  const rows = run.targets;
  if (rows.length === 0) return null;
  return (
    <table className="table compact target-grid" data-testid="target-grid">
      <thead>
        <tr>
          <th>Target</th>
          <th>Status</th>
          <th className="num">Pages</th>
          <th className="bar-cell" />
          <th className="num">Records</th>
          <th className="num">Errors</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => (
          <tr key={t.name} data-testid="target-row" data-target={t.name}>
            <td className="mono">{t.name}</td>
            <td>
              <StatusBadge status={t.status} testId="target-status" />
            </td>
            <td className="num" data-testid="target-pages">
              {formatNumber(t.pagesDone)} / {formatNumber(t.pagesKnown)}
            </td>
            <td className="bar-cell">
              <div className={`mini-bar status-${t.status}`}>
                <div style={{ width: `${percent(t.pagesDone, t.pagesKnown)}%` }} />
              </div>
            </td>
            <td className="num" data-testid="target-records">
              {formatNumber(t.records)}
            </td>
            <td className={t.errors > 0 ? "num text-bad" : "num"} data-testid="target-errors">
              {formatNumber(t.errors)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
