import type { LiveProgress } from "../api/queries.ts";
import type { RunSummary, TargetStatus } from "../api/types.ts";
import { formatNumber, percent } from "../lib/format.ts";
import { StatusBadge } from "./StatusBadge.tsx";

interface TargetRow {
  name: string;
  status: TargetStatus;
  pagesDone?: number;
  pagesKnown?: number;
  records: number;
  errors: number;
}

/** The stored targets, overlaid with the live counters of the latest progress event. */
function mergeTargets(run: RunSummary, live: LiveProgress | undefined): TargetRow[] {
  const liveByName = new Map((live?.targets ?? []).map((t) => [t.name, t]));
  const rows: TargetRow[] = run.targets.map((t) => ({ ...t, ...liveByName.get(t.name) }));
  for (const t of live?.targets ?? []) if (!run.targets.some((r) => r.name === t.name)) rows.push(t);
  return rows;
}

/** One row per target (like a status board per site): status, pages, records, errors. */
export function TargetGrid({ run, live }: { run: RunSummary; live: LiveProgress | undefined }) {
  const rows = mergeTargets(run, live);
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
              {t.pagesDone === undefined
                ? "—"
                : `${formatNumber(t.pagesDone)} / ${formatNumber(t.pagesKnown)}`}
            </td>
            <td className="bar-cell">
              {t.pagesDone !== undefined && (
                <div className={`mini-bar status-${t.status}`}>
                  <div style={{ width: `${percent(t.pagesDone, t.pagesKnown ?? 0)}%` }} />
                </div>
              )}
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
