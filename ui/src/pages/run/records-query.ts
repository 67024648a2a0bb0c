/** What the records table asks the server for, and the query strings that ask it. */
import type { RecordFilterOp, SortOrder } from "../../api/types.ts";

/** A field filter as the table holds it (see docs/api.md, "Querying records"). */
export interface FieldFilter {
  field: string;
  op: RecordFilterOp;
  value: string;
}

/** Sort, search and filters: which records, in which order. Paging is not part of it. */
export interface RecordSelection {
  sort: { field: string; order: SortOrder } | null;
  search: string;
  filters: FieldFilter[];
}

/** Filter operators that take no value. */
export const VALUELESS: readonly RecordFilterOp[] = ["empty", "notempty"];

/** How each operator reads in the table's chips and menu. */
export const OP_LABELS: Record<RecordFilterOp, string> = {
  eq: "=",
  ne: "≠",
  contains: "contains",
  empty: "is empty",
  notempty: "is not empty",
};

/** `field:op[:value]`, as the API's `filter` parameter takes it. */
export function filterParam(filter: FieldFilter): string {
  return VALUELESS.includes(filter.op)
    ? `${filter.field}:${filter.op}`
    : `${filter.field}:${filter.op}:${filter.value}`;
}

/** The query string of a selection (and a page of it): `?sort=…&filter=…&cursor=…`, or "". */
export function selectionQuery(
  selection: RecordSelection,
  page?: { cursor: string | null; limit: number },
): string {
  const params = new URLSearchParams();
  if (selection.sort) {
    params.set("sort", selection.sort.field);
    params.set("order", selection.sort.order);
  }
  if (selection.search.trim()) params.set("search", selection.search.trim());
  for (const filter of selection.filters) params.append("filter", filterParam(filter));
  if (page) {
    if (page.cursor) params.set("cursor", page.cursor);
    params.set("limit", String(page.limit));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The next sort when a column's header is pressed: ascending, then descending, then none. */
export function nextSort(current: RecordSelection["sort"], field: string): RecordSelection["sort"] {
  if (current?.field !== field) return { field, order: "asc" };
  return current.order === "asc" ? { field, order: "desc" } : null;
}

/** Whether a selection narrows the records (the total then counts matches). */
export function narrows(selection: RecordSelection): boolean {
  return selection.search.trim() !== "" || selection.filters.length > 0;
}
