import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../../api/client.ts";
import { keys, useRecordPage } from "../../api/queries.ts";
import type { DatasetRecordPage, RecordPage } from "../../api/types.ts";
import { ErrorMessage } from "../../components/Feedback.tsx";
import { cellText, formatNumber } from "../../lib/format.ts";
import { useDebounced } from "../../lib/use-debounced.ts";
import { RecordFilters } from "./RecordFilters.tsx";
import { narrows, nextSort, selectionQuery, type RecordSelection } from "./records-query.ts";

const PAGE_SIZES = [25, 50, 100, 250];
const FORMATS = ["jsonl", "csv", "json"] as const;
const NOTHING: RecordSelection = { sort: null, search: "", filters: [] };
/** Typing pauses this long before the search is sent. */
const SEARCH_DELAY_MS = 250;

/** Where a records table reads. */
export interface RecordsSource {
  /** The API path of the records, without query string; downloads are `${path}.jsonl` … when offered. */
  path: string;
  /** The query key of a page (its query string): under the prefix cache-sync refreshes. */
  queryKey(params: string): readonly unknown[];
  downloads: boolean;
  /** A link to the page a record came from; none: no source column. */
  sourceHref?(position: number | null, source: string | null): string | null;
}

/**
 * A run's records (its final stage), explored on the server: sorted, searched and filtered over
 * all of them, paged by cursor, downloadable as JSONL, CSV or JSON. With `sources` (the run
 * recorded its pages), each row links to the page it came from. Refreshed when the run's records
 * change (cache-sync invalidates `["records", runId]`).
 */
export function RecordsTable({ runId, sources = false }: { runId: string; sources?: boolean }) {
  const source = useMemo<RecordsSource>(
    () => ({
      path: `/api/runs/${encodeURIComponent(runId)}/records`,
      queryKey: (params) => keys.records(runId, params),
      downloads: true,
      ...(sources && {
        sourceHref: (position, url) =>
          position !== null
            ? `/runs/${runId}/replay?record=${position}`
            : url !== null
              ? `/runs/${runId}/replay?url=${encodeURIComponent(url)}`
              : null,
      }),
    }),
    [runId, sources],
  );
  return <RecordsExplorer source={source} title="Records" />;
}

/**
 * A published dataset version's records, explored the same way (its files are the downloads).
 * Their source links would need the publishing run's page, so there are none.
 */
export function DatasetRecords({ name, version }: { name: string; version: number }) {
  const source = useMemo<RecordsSource>(
    () => ({
      path: `/api/datasets/${encodeURIComponent(name)}/versions/${version}/records`,
      queryKey: (params) => keys.datasetRecords(name, version, params),
      downloads: false,
    }),
    [name, version],
  );
  return <RecordsExplorer source={source} />;
}

/** The records table over any source (a run's records, a dataset version's), under `title`. */
export function RecordsExplorer({ source, title }: { source: RecordsSource; title?: string }) {
  const [selection, setSelection] = useState<RecordSelection>(NOTHING);
  const [searchText, setSearchText] = useState("");
  const search = useDebounced(searchText, SEARCH_DELAY_MS);
  const [limit, setLimit] = useState(50);
  const query = useMemo(() => ({ ...selection, search }), [selection, search]);
  // The cursors of the pages visited, for Previous; a new selection or page size starts over.
  const pagingKey = `${selectionQuery(query)}|${limit}`;
  const [paging, setPaging] = useState({ key: pagingKey, cursors: [null] as (string | null)[] });
  const cursors = paging.key === pagingKey ? paging.cursors : [null];
  const params = selectionQuery(query, { cursor: cursors.at(-1) ?? null, limit });
  const page = useRecordPage<RecordPage | DatasetRecordPage>(
    source.queryKey(params),
    `${source.path}${params}`,
  );
  useEffect(() => {
    // A cursor the server no longer takes (the run's final stage changed under it): start over.
    if (page.error instanceof ApiError && page.error.code === "TRAWL_ERR_RECORDS_BAD_CURSOR")
      setPaging({ key: pagingKey, cursors: [null] });
  }, [page.error, pagingKey]);

  const data = page.data;
  const fields = useMemo(() => {
    const names = data?.fields ?? [];
    return selection.sort && !names.includes(selection.sort.field) ? [...names, selection.sort.field] : names;
  }, [data, selection.sort]);

  return (
    <>
      {title && <h2>{title}</h2>}
      <div className="toolbar">
        <input
          type="search"
          placeholder="Search all records"
          aria-label="Search all records"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          data-testid="records-search"
        />
        <span className="muted" data-testid="records-range" aria-live="polite" data-total={data?.total}>
          {rangeText(data, narrows(query))}
        </span>
        <span className="spacer" />
        {source.downloads &&
          FORMATS.map((format) => (
            <a
              key={format}
              className="button"
              href={`${source.path}.${format}${selectionQuery(query)}`}
              download
              title={`Every record ${narrows(query) ? "matching" : "of the run"}, in this order, as ${format.toUpperCase()}`}
              data-testid={`records-download-${format}`}
            >
              {format.toUpperCase()}
            </a>
          ))}
      </div>
      <RecordFilters
        fields={fields}
        filters={selection.filters}
        onChange={(filters) => setSelection({ ...selection, filters })}
      />
      <div className="toolbar">
        <select
          value={limit}
          onChange={(e) => setLimit(Number(e.target.value))}
          aria-label="Records per page"
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size} / page
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          disabled={cursors.length <= 1}
          onClick={() => setPaging({ key: pagingKey, cursors: cursors.slice(0, -1) })}
          data-testid="records-prev"
        >
          ‹ Previous
        </button>
        <button
          type="button"
          className="button"
          disabled={!data?.next || page.isPlaceholderData}
          onClick={() => data?.next && setPaging({ key: pagingKey, cursors: [...cursors, data.next] })}
          data-testid="records-next"
        >
          Next ›
        </button>
      </div>
      {page.error && <ErrorMessage error={page.error} />}
      <div className="table-scroll" aria-busy={page.isFetching}>
        <table className="table compact" data-testid="records-table">
          <thead>
            <tr>
              {source.sourceHref && <th aria-label="Source" />}
              {fields.map((field) => (
                <SortHeader
                  key={field}
                  field={field}
                  sort={selection.sort}
                  onSort={() => setSelection({ ...selection, sort: nextSort(selection.sort, field) })}
                />
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
    </>
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

/** "51–87 of 87", "1–37 of 37 matching", "no matching records". */
function rangeText(data: RecordPage | DatasetRecordPage | undefined, narrowed: boolean): string {
  if (!data) return "…";
  if (data.total === 0) return narrowed ? "no matching records" : "no records";
  const of = `of ${formatNumber(data.total)}${narrowed ? " matching" : ""}`;
  if (data.records.length === 0) return `none here, ${of}`;
  return `${formatNumber(data.offset + 1)}–${formatNumber(data.offset + data.records.length)} ${of}`;
}
