import { useState, type ReactNode } from "react";
import type { ChangedRecord, Comparison, FieldChange } from "../api/types.ts";
import { cellText, formatNumber } from "../lib/format.ts";
import { textDiff } from "../lib/text-diff.ts";

type Json = Record<string, unknown>;

/** Records of each kind shown at first, and added by each "Show more". */
const PAGE = 50;

/**
 * Records added, removed and changed between two runs. Changed records show every changed field
 * with its old and new value side by side, the differing part of each value marked; the counts
 * are always complete, the lists are shown a page at a time.
 */
export function RecordDiff({ diff }: { diff: Pick<Comparison, "match" | "key" | "records"> }) {
  const { records } = diff;
  return (
    <div className="diff" data-testid="record-diff">
      <div className="chips">
        <span className="chip tone-ok" data-testid="diff-added-count">
          +{formatNumber(records.counts.added)} added
        </span>
        <span className="chip tone-bad" data-testid="diff-removed-count">
          −{formatNumber(records.counts.removed)} removed
        </span>
        <span className="chip tone-warn" data-testid="diff-changed-count">
          ~{formatNumber(records.counts.changed)} changed
        </span>
        <span className="chip">{formatNumber(records.unchanged)} unchanged</span>
        {diff.match === "key" && diff.key && (
          <span className="muted" data-testid="diff-match" data-match="key">
            matched by key “{diff.key.join(", ")}”
          </span>
        )}
      </div>
      {diff.match === "position" && (
        <p className="notice" data-testid="diff-match" data-match="position">
          <strong>No key: compared by position.</strong> Record 1 of A is compared with record 1 of B, and so
          on, so a record inserted or removed shows every later one as changed. Declare <code>key:</code> in
          the scraper to match records by their fields.
        </p>
      )}
      <ChangedRecords changed={records.changed} total={records.counts.changed} />
      <RecordTable
        title="Added (only in B)"
        records={records.added}
        total={records.counts.added}
        kind="added"
      />
      <RecordTable
        title="Removed (only in A)"
        records={records.removed}
        total={records.counts.removed}
        kind="removed"
      />
    </div>
  );
}

/** What makes a comparison less than like for like (different scrapers, unfinished runs…). */
export function DiffWarnings({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="notice notice-warn diff-warnings" role="status" data-testid="diff-warnings">
      {warnings.map((warning) => (
        <li key={warning} data-testid="diff-warning">
          {warning}
        </li>
      ))}
    </ul>
  );
}

/** A page of a list, and a button that shows the next page. */
function usePaged<T>(items: T[]): { shown: T[]; more: ReactNode } {
  const [count, setCount] = useState(PAGE);
  const rest = items.length - count;
  const more =
    rest > 0 ? (
      <button
        type="button"
        className="button"
        onClick={() => setCount(count + PAGE)}
        data-testid="diff-show-more"
      >
        Show {formatNumber(Math.min(PAGE, rest))} more
      </button>
    ) : null;
  return { shown: items.slice(0, count), more };
}

function Listed({ listed, total }: { listed: number; total: number }) {
  return total > listed ? (
    <p className="muted">
      {formatNumber(listed)} of {formatNumber(total)} listed (the API lists at most 1,000 of each kind).
    </p>
  ) : null;
}

function ChangedRecords({ changed, total }: { changed: ChangedRecord[]; total: number }) {
  const { shown, more } = usePaged(changed);
  if (changed.length === 0) return null;
  return (
    <section>
      <h3>Changed ({formatNumber(total)})</h3>
      <table className="table compact diff-changed" data-testid="diff-changed">
        <thead>
          <tr>
            <th>Record</th>
            <th>Field</th>
            <th>Before (A)</th>
            <th>After (B)</th>
          </tr>
        </thead>
        {shown.map((record) => (
          <tbody
            key={`${record.position}-${record.key}`}
            data-testid="diff-changed-row"
            data-key={record.key}
          >
            {record.fields.map((change, index) => (
              <FieldRow
                key={change.field}
                change={change}
                record={index === 0 ? record : null}
                rows={record.fields.length}
              />
            ))}
          </tbody>
        ))}
      </table>
      {more}
      <Listed listed={changed.length} total={total} />
    </section>
  );
}

const CHANGE_LABEL: Record<FieldChange["change"], string> = {
  added: "added",
  removed: "removed",
  changed: "changed",
};

/** One changed field: old and new value side by side, what differs marked in each. */
function FieldRow({
  change,
  record,
  rows,
}: {
  change: FieldChange;
  record: ChangedRecord | null;
  rows: number;
}) {
  const [before, after] = [cellText(change.a), cellText(change.b)];
  const parts = change.change === "changed" ? textDiff(before, after) : null;
  return (
    <tr className={`diff-field diff-${change.change}`} data-testid="diff-field" data-change={change.change}>
      {record && (
        <td rowSpan={rows} className="mono diff-record" title={recordTitle(record.record)}>
          {record.key}
        </td>
      )}
      <td className="mono">
        {change.field}{" "}
        <span className={`change-badge change-${change.change}`}>{CHANGE_LABEL[change.change]}</span>
      </td>
      <td className="diff-before" data-testid="diff-before">
        {change.change === "added" ? (
          <span className="muted">—</span>
        ) : parts ? (
          <>
            {parts.prefix}
            {parts.before && <del>{parts.before}</del>}
            {parts.suffix}
          </>
        ) : (
          <del>{before}</del>
        )}
      </td>
      <td className="diff-after" data-testid="diff-after">
        {change.change === "removed" ? (
          <span className="muted">—</span>
        ) : parts ? (
          <>
            {parts.prefix}
            {parts.after && <ins>{parts.after}</ins>}
            {parts.suffix}
          </>
        ) : (
          <ins>{after}</ins>
        )}
      </td>
    </tr>
  );
}

/** The whole record as a tooltip of its key: context for the changed fields. */
function recordTitle(record: Json): string {
  return Object.entries(record)
    .map(([field, value]) => `${field}: ${cellText(value)}`)
    .join("\n");
}

/** Added or removed records as a table of their fields. */
function RecordTable(props: { title: string; records: Json[]; total: number; kind: "added" | "removed" }) {
  const { shown, more } = usePaged(props.records);
  if (props.records.length === 0) return null;
  const columns = [...new Set(shown.flatMap((record) => Object.keys(record)))];
  const testId = `diff-${props.kind}`;
  return (
    <details open={props.total <= 20}>
      <summary>
        {props.title}: {formatNumber(props.total)}
      </summary>
      <div className="table-scroll">
        <table className={`table compact diff-records diff-records-${props.kind}`} data-testid={testId}>
          <thead>
            <tr>
              <th aria-label={props.kind} />
              {columns.map((column) => (
                <th key={column} className="mono">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((record, index) => (
              <tr key={index} data-testid={`${testId}-row`}>
                <td className="diff-sign">{props.kind === "added" ? "+" : "−"}</td>
                {columns.map((column) => (
                  <td key={column} title={cellText(record[column])}>
                    {cellText(record[column])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {more}
      <Listed listed={props.records.length} total={props.total} />
    </details>
  );
}
