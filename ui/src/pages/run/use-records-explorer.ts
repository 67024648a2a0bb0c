import { useEffect, useMemo, useState } from "react";
import { ApiError } from "../../api/client.ts";
import { useRecordPage } from "../../api/queries.ts";
import type { DatasetRecordPage, RecordPage } from "../../api/types.ts";
import { useDebounced } from "../../lib/use-debounced.ts";
import { selectionQuery, type RecordSelection } from "./records-query.ts";

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

const NOTHING: RecordSelection = { sort: null, search: "", filters: [] };
/** Typing pauses this long before the search is sent. */
const SEARCH_DELAY_MS = 250;

/**
 * The state of a records explorer: the sort, filters and search (typed, then sent once typing
 * pauses), the page size, the cursors of the pages visited (for Previous; a new selection or page
 * size starts over) and the page shown, with the fields to show as columns.
 */
export function useRecordsExplorer(source: RecordsSource) {
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

  return {
    selection,
    setSelection,
    searchText,
    setSearchText,
    limit,
    setLimit,
    /** The selection with the search as sent. */
    query,
    page,
    data,
    fields,
    hasPrevious: cursors.length > 1,
    previous: () => setPaging({ key: pagingKey, cursors: cursors.slice(0, -1) }),
    next: () => data?.next && setPaging({ key: pagingKey, cursors: [...cursors, data.next] }),
  };
}
