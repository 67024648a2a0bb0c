/** From the record routes' query string to a store query, and from a store page to the API's. */
import type { RecordQueryString } from "../../core/contract/records.ts";
import {
  RecordQueryError,
  type RecordFilter,
  type RecordQueryPage,
  type RecordSelection,
  type RecordStore,
} from "../../store/index.ts";

/** Stored records whose fields name the columns, besides the page's own. */
const FIELD_SAMPLE = 200;

/**
 * The filters of the query string: each `field:op` or `field:op:value` (the value may hold `:`).
 * @throws {RecordQueryError} `TRAWL_ERR_RECORDS_BAD_FILTER` for one without a field or an operator.
 */
export function parseFilters(raw: string | string[] | undefined): RecordFilter[] {
  const texts = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return texts.map((text) => {
    const [field = "", op = "", ...rest] = text.split(":");
    if (field === "" || op === "")
      throw new RecordQueryError(
        "TRAWL_ERR_RECORDS_BAD_FILTER",
        `filter ${JSON.stringify(text)} is not field:op or field:op:value (op: eq, ne, contains, empty, notempty)`,
      );
    return { field, op: op as RecordFilter["op"], ...(rest.length > 0 && { value: rest.join(":") }) };
  });
}

/** The selection (sort, search, filters) a query string asks for. */
export function selectionOf(q: RecordQueryString): RecordSelection {
  return {
    ...(q.sort !== undefined && { sort: { field: q.sort, order: q.order ?? "asc" } }),
    ...(q.search !== undefined && { search: q.search }),
    filters: parseFilters(q.filter),
  };
}

/** A page as the API shows it: the records as they are, their positions and sources beside them. */
export function pageView(page: RecordQueryPage, fields: string[]) {
  return {
    total: page.total,
    offset: page.offset,
    next: page.next,
    fields,
    records: page.records.map((record) => record.data as Record<string, unknown>),
    positions: page.records.map((record) => record.position),
    sources: page.records.map((record) => record.source),
  };
}

/** The columns of a stage: the fields of its first stored records, then any more the page has. */
export async function fieldsOf(
  store: RecordStore,
  runId: string,
  stage: number,
  page: RecordQueryPage,
): Promise<string[]> {
  const fields = new Set<string>();
  const add = (record: unknown) => {
    if (record && typeof record === "object") Object.keys(record).forEach((key) => fields.add(key));
  };
  for await (const first of store.readPages(runId, stage, FIELD_SAMPLE)) {
    first.forEach(add);
    break;
  }
  page.records.forEach((record) => add(record.data));
  return [...fields];
}
