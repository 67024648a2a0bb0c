/**
 * Record queries, independent of the database: what a query asks (sort, search, filters, paging),
 * what a page holds, the opaque cursor, and the checks every backend makes the same way. The
 * SQLite store answers them in sqlite-record-query.ts; a PostgreSQL store implements the same.
 */
import { createHash } from "node:crypto";
import {
  RECORD_FILTER_OPS,
  VALUELESS_FILTER_OPS,
  type RecordFilterOp,
  type SortOrder,
} from "../core/contract/records.ts";
import { RecordQueryError } from "./errors.ts";

/**
 * Order by a top-level field. Values compare as: missing or null first, then numbers by value
 * (`false`/`true` as 0/1), then text ignoring ASCII case (objects and arrays by their JSON text);
 * records with equal values keep their stored order. `desc` is exactly the reverse of `asc`.
 */
export interface RecordSort {
  field: string;
  order: SortOrder;
}

/** A test on one top-level field; see `RECORD_FILTER_OPS` for what each `op` means. */
export interface RecordFilter {
  field: string;
  op: RecordFilterOp;
  /** Required by `eq`, `ne` and `contains`; ignored by `empty` and `notempty`. */
  value?: string;
}

/** Which records, in which order. */
export interface RecordSelection {
  /** @defaultValue the stage's stored order */
  sort?: RecordSort;
  /**
   * Text some value of the record holds, ignoring case: strings, numbers as written in JSON,
   * `true`/`false`, at any depth; field names do not count. Trimmed; empty: no search.
   */
  search?: string;
  /** Every filter must hold. */
  filters?: readonly RecordFilter[];
}

/** One page of a selection. */
export interface RecordQuery extends RecordSelection {
  /** `next` of the previous page of the same selection; absent: the first page. */
  cursor?: string;
  /** Without `cursor`: skip this many matching records first. @defaultValue 0 */
  offset?: number;
  /** Most records of the page (at least 1). */
  limit: number;
}

/** A record a query found. */
export interface QueriedRecord {
  data: unknown;
  /** The URL of the page it came from; null: unknown. */
  source: string | null;
  /** Its position in the stage's stored order; null when the store cannot tell cheaply. */
  position: number | null;
}

/** What {@link RecordQuery} returns. */
export interface RecordQueryPage {
  /** How many records of the stage match the search and filters. */
  total: number;
  /** How many matching records come before this page's first. */
  offset: number;
  /** The cursor of the next page; null when this page is the last. */
  next: string | null;
  records: QueriedRecord[];
}

/** A selection whose fields and filters were checked, and its search trimmed. */
export interface CheckedSelection {
  sort?: RecordSort;
  search?: string;
  filters: RecordFilter[];
}

/** What a cursor remembers: the last record of the page it ends, and how many came before. */
export interface CursorState {
  /** Where the previous page ended: `index` matching records came before the next page. */
  index: number;
  /** The stored order key of the previous page's last record. */
  key: string;
  /** Its sort value (sorted selections only). */
  value?: string | number | null;
}

/**
 * Checks a selection: field names a backend can address (not empty, no `"`, `\` or control
 * characters), known filter operators with their values.
 * @throws {RecordQueryError} `TRAWL_ERR_RECORDS_BAD_SORT` or `TRAWL_ERR_RECORDS_BAD_FILTER`.
 */
export function checkSelection(selection: RecordSelection): CheckedSelection {
  if (selection.sort) checkField(selection.sort.field, "TRAWL_ERR_RECORDS_BAD_SORT", "sort by");
  if (selection.sort && !["asc", "desc"].includes(selection.sort.order))
    throw new RecordQueryError("TRAWL_ERR_RECORDS_BAD_SORT", `sort order must be asc or desc`);
  const filters = (selection.filters ?? []).map((filter) => {
    checkField(filter.field, "TRAWL_ERR_RECORDS_BAD_FILTER", "filter on");
    if (!RECORD_FILTER_OPS.includes(filter.op))
      throw new RecordQueryError(
        "TRAWL_ERR_RECORDS_BAD_FILTER",
        `unknown filter operator "${filter.op}" (use ${RECORD_FILTER_OPS.join(", ")})`,
      );
    if (VALUELESS_FILTER_OPS.includes(filter.op)) return { field: filter.field, op: filter.op };
    if (filter.value === undefined)
      throw new RecordQueryError(
        "TRAWL_ERR_RECORDS_BAD_FILTER",
        `filter ${filter.field}:${filter.op} needs a value (${filter.field}:${filter.op}:VALUE)`,
      );
    return { field: filter.field, op: filter.op, value: filter.value };
  });
  const search = selection.search?.trim();
  return { ...(selection.sort && { sort: selection.sort }), ...(search && { search }), filters };
}

function checkField(
  field: string,
  code: "TRAWL_ERR_RECORDS_BAD_SORT" | "TRAWL_ERR_RECORDS_BAD_FILTER",
  verb: string,
) {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (field.length === 0 || /["\\\u0000-\u001f]/.test(field))
    throw new RecordQueryError(
      code,
      `cannot ${verb} field ${JSON.stringify(field)}: a field name must be non-empty, without quotes, backslashes or control characters`,
    );
}

/**
 * A short digest of everything that decides a selection's order and matches: a cursor carries it,
 * so a cursor of another run, stage or selection is refused instead of silently skipping records.
 */
export function selectionFingerprint(runId: string, stage: number, selection: CheckedSelection): string {
  const parts = [runId, stage, selection.sort ?? null, selection.search ?? null, selection.filters];
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 12);
}

/** The opaque text of a cursor. */
export function encodeCursor(fingerprint: string, state: CursorState): string {
  const body = [fingerprint, state.index, state.key, ...("value" in state ? [state.value] : [])];
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

/**
 * The state of a cursor issued for the selection with `fingerprint`.
 * @throws {RecordQueryError} `TRAWL_ERR_RECORDS_BAD_CURSOR` when it is not one, or belongs to
 *   another run, stage, sort, search or filters.
 */
export function decodeCursor(text: string, fingerprint: string, sorted: boolean): CursorState {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    body = undefined;
  }
  if (
    !Array.isArray(body) ||
    body.length !== (sorted ? 4 : 3) ||
    typeof body[0] !== "string" ||
    !Number.isInteger(body[1]) ||
    (body[1] as number) < 0 ||
    typeof body[2] !== "string" ||
    (sorted && !(body[3] === null || typeof body[3] === "string" || typeof body[3] === "number"))
  )
    throw new RecordQueryError("TRAWL_ERR_RECORDS_BAD_CURSOR", "the cursor is not one this server issued");
  if (body[0] !== fingerprint)
    throw new RecordQueryError(
      "TRAWL_ERR_RECORDS_BAD_CURSOR",
      "the cursor belongs to another query (run, stage, sort, search or filters changed): start again without a cursor",
    );
  const state: CursorState = { index: body[1] as number, key: body[2] as string };
  if (sorted) state.value = body[3] as string | number | null;
  return state;
}

/**
 * Whether some value of `value` (a parsed record) holds `needle` (already lower-cased): strings
 * ignoring case, numbers as written in JSON, booleans by name, nested values at any depth, keys not.
 */
export function valuesInclude(value: unknown, needle: string): boolean {
  if (typeof value === "string") return value.toLowerCase().includes(needle);
  if (typeof value === "number" || typeof value === "boolean") return String(value).includes(needle);
  if (Array.isArray(value)) return value.some((item) => valuesInclude(item, needle));
  if (value !== null && typeof value === "object")
    return Object.values(value).some((item) => valuesInclude(item, needle));
  return false;
}

/**
 * A LIKE pattern (escape `!`) that every text holding `needle` (ignoring case) matches: the
 * needle's runs of plain ASCII joined by `%`. LIKE folds ASCII case only, and JSON escapes quotes,
 * backslashes and control characters, so those and non-ASCII characters become gaps; an exact
 * test (a function) follows it. Null when nothing of the needle can narrow the match.
 */
export function likePattern(needle: string): string | null {
  const runs = needle.split(/[^\x20-\x7e]|["\\]/).filter((run) => run.length > 0);
  if (runs.length === 0) return null;
  return `%${runs.map((run) => run.replace(/[!%_]/g, "!$&")).join("%")}%`;
}
