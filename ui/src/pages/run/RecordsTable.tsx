import { useMemo } from "react";
import { keys } from "../../api/queries.ts";
import type { DatasetRecordPage, RecordPage } from "../../api/types.ts";
import { ErrorMessage } from "../../components/Feedback.tsx";
import { formatNumber } from "../../lib/format.ts";
import { RecordFilters } from "./RecordFilters.tsx";
import { RecordGrid } from "./RecordGrid.tsx";
import { RecordPager } from "./RecordPager.tsx";
import { narrows, nextSort, selectionQuery } from "./records-query.ts";
import { useRecordsExplorer, type RecordsSource } from "./use-records-explorer.ts";

const FORMATS = ["jsonl", "csv", "json"] as const;

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
  const explorer = useRecordsExplorer(source);
  const { selection, setSelection, query, page, data, fields } = explorer;

  return (
    <>
      {title && <h2>{title}</h2>}
      <div className="toolbar">
        <input
          type="search"
          placeholder="Search all records"
          aria-label="Search all records"
          value={explorer.searchText}
          onChange={(e) => explorer.setSearchText(e.target.value)}
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
      <RecordPager explorer={explorer} />
      {page.error && <ErrorMessage error={page.error} />}
      <RecordGrid
        source={source}
        data={data}
        fields={fields}
        sort={selection.sort}
        onSort={(field) => setSelection({ ...selection, sort: nextSort(selection.sort, field) })}
        busy={page.isFetching}
      />
    </>
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
