import type { Comparison } from "../api/types.ts";
import { cellText, formatNumber } from "../lib/format.ts";

/** How many records of each kind are listed; the counts are always complete. */
const SHOWN = 200;

/** Added, removed and changed records between two runs (field-level a → b). */
export function RecordDiff({ diff }: { diff: Comparison["records"] & { key?: string | null } }) {
  const { added, removed, changed, unchanged } = diff;
  return (
    <div className="diff" data-testid="record-diff">
      <div className="chips">
        <span className="chip tone-ok" data-testid="diff-added-count">
          +{formatNumber(added.length)} added
        </span>
        <span className="chip tone-bad" data-testid="diff-removed-count">
          −{formatNumber(removed.length)} removed
        </span>
        <span className="chip tone-warn" data-testid="diff-changed-count">
          ~{formatNumber(changed.length)} changed
        </span>
        <span className="chip">{formatNumber(unchanged)} unchanged</span>
        {diff.key && <span className="muted">matched by “{diff.key}”</span>}
      </div>
      {changed.length > 0 && (
        <table className="table compact" data-testid="diff-changed">
          <thead>
            <tr>
              <th>Record</th>
              <th>Field</th>
              <th>Before (A)</th>
              <th>After (B)</th>
            </tr>
          </thead>
          <tbody>
            {changed.slice(0, SHOWN).flatMap((record) =>
              record.fields.map((change, index) => (
                <tr key={`${record.key}-${change.field}`} data-testid="diff-changed-row">
                  <td className="mono">{index === 0 ? record.key : ""}</td>
                  <td className="mono">{change.field}</td>
                  <td className="diff-before">{cellText(change.a)}</td>
                  <td className="diff-after">{cellText(change.b)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      <RecordList title="Added" records={added} testId="diff-added" tone="ok" />
      <RecordList title="Removed" records={removed} testId="diff-removed" tone="bad" />
    </div>
  );
}

function RecordList(props: {
  title: string;
  records: Record<string, unknown>[];
  testId: string;
  tone: string;
}) {
  if (props.records.length === 0) return null;
  return (
    <details open={props.records.length <= 20}>
      <summary>
        {props.title} ({formatNumber(props.records.length)})
      </summary>
      <ul className={`record-list tone-${props.tone}`} data-testid={props.testId}>
        {props.records.slice(0, SHOWN).map((record, index) => (
          <li key={index} className="mono" data-testid={`${props.testId}-row`}>
            {JSON.stringify(record)}
          </li>
        ))}
        {props.records.length > SHOWN && <li className="muted">… and {props.records.length - SHOWN} more</li>}
      </ul>
    </details>
  );
}
