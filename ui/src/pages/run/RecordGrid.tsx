import { Link } from "react-router";
import type { DatasetRecordPage, RecordPage } from "../../api/types.ts";
import { cellText } from "../../lib/format.ts";
import type { RecordSelection } from "./records-query.ts";
import type { RecordsSource } from "./use-records-explorer.ts";

/**
 * A page of records as a table, one column per field, each header sorting by its field; with a
 * source column when the records link to the pages they came from.
 */
export function RecordGrid({
  source,
  data,
  fields,
  sort,
  onSort,
  busy,
}: {
  source: RecordsSource;
  data: RecordPage | DatasetRecordPage | undefined;
  fields: string[];
  sort: RecordSelection["sort"];
  onSort(field: string): void;
  /** A page is being fetched. */
  busy: boolean;
}) {
  return (
    <div className="table-scroll" aria-busy={busy}>
      <table className="table compact" data-testid="records-table">
        <thead>
          <tr>
            {source.sourceHref && <th aria-label="Source" />}
            {fields.map((field) => (
              <SortHeader key={field} field={field} sort={sort} onSort={() => onSort(field)} />
            ))}
          </tr>
        </thead>
        <tbody>
          {data?.records.map((record, i) => {
            const href = source.sourceHref?.(data.positions[i] ?? null, data.sources[i] ?? null);
            return (
              <tr key={`${data.offset + i}`} data-testid="record-row">
                {source.sourceHref && (
                  <td className="actions-cell">
                    {href && (
                      <Link
                        to={href}
                        title="The recorded page this record came from, its fields outlined"
                        data-testid="record-source"
                      >
                        source
                      </Link>
                    )}
                  </td>
                )}
                {fields.map((field) => (
                  <td key={field}>{cellText(record[field])}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A column header: a button that sorts by the column (ascending, descending, none), with aria-sort. */
function SortHeader({
  field,
  sort,
  onSort,
}: {
  field: string;
  sort: RecordSelection["sort"];
  onSort(): void;
}) {
  const order = sort?.field === field ? sort.order : null;
  return (
    <th
      aria-sort={order === "asc" ? "ascending" : order === "desc" ? "descending" : "none"}
      data-testid="records-column"
      data-field={field}
    >
      <button type="button" className="sort-button" onClick={onSort} data-testid="records-sort">
        {field}
        <span aria-hidden="true">{order === "asc" ? " ▲" : order === "desc" ? " ▼" : ""}</span>
      </button>
    </th>
  );
}
