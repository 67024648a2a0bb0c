/**
 * The SQL of a record query's parts over the `records` table: where a stage's rows are, a field's
 * value, the search and the filters. Each part is an SQL fragment with named parameters; the
 * meaning of each is documented in record-query.ts and contract/records.ts.
 */
import type { SqliteDatabase } from "./database.ts";
import { likePattern, valuesInclude, type CheckedSelection, type RecordFilter } from "./record-query.ts";

/** SQL conditions (ANDed) and the values of their named parameters. */
export interface Predicates {
  sql: string[];
  params: Record<string, unknown>;
}

/**
 * A row's source page as stored (record-source.ts): its `source`, else, for a crawl row, its
 * order key up to the position (`crawlRecordOrder`: the URL, a NUL, for a POST its 16-digit body
 * digest and a NUL, the position on the page). Steps' rows store their input's.
 */
export const SOURCE_KEY = (() => {
  // As bytes: SQLite's text substr() stops at a NUL, and the digest comes after one.
  const ord = "CAST(ord AS BLOB)";
  const nul = `instr(${ord}, x'00')`;
  const end = `${nul} + CASE WHEN substr(${ord}, ${nul} + 17, 1) = x'00' THEN 16 ELSE -1 END`;
  return `COALESCE(source, CASE WHEN stage = 0 THEN CAST(substr(${ord}, 1, ${end}) AS TEXT) END)`;
})();

/** The URL of a row's source page: {@link SOURCE_KEY} up to its first NUL (where text substr() stops). */
export const SOURCE = `COALESCE(substr(source, 1, instr(source || char(0), char(0)) - 1),
  CASE WHEN stage = 0 THEN substr(ord, 1, instr(ord, char(0)) - 1) END)`;

/** An SQL string literal. */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The rows of a stored stage, with the run and stage written as literals: a partial sort index
 * (`WHERE` this same text) is only usable by a query that names them the same way.
 */
export function stageScope(runId: string, stage: number): string {
  if (!Number.isInteger(stage) || stage < 0) throw new RangeError(`bad stage ${stage}`);
  return `run_id = ${literal(runId)} AND stage = ${stage}`;
}

/** The JSON path of a top-level field (checked by `checkSelection`: no quote or backslash). */
function fieldPath(field: string): string {
  return literal(`$."${field}"`);
}

/** A field's value: a number, text (objects and arrays as JSON text), 1/0 for booleans, or NULL. */
export function fieldValue(field: string): string {
  return `json_extract(data, ${fieldPath(field)})`;
}

/** Whether a record has a field (null counts: it has a value, null). */
export function hasField(field: string): string {
  return `json_type(data, ${fieldPath(field)}) IS NOT NULL`;
}

/** The same value as compared for sorting: text ignoring ASCII case. */
export function sortKey(field: string): string {
  return `${fieldValue(field)} COLLATE NOCASE`;
}

/** A field's value as filters see it: booleans as 'true'/'false', others as `fieldValue`. */
function filterValue(field: string): string {
  const path = fieldPath(field);
  return `(CASE json_type(data, ${path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE json_extract(data, ${path}) END)`;
}

/** Whether a field is missing, null, '', [] or {}. */
function emptyTest(field: string): string {
  const path = fieldPath(field);
  return `(CASE coalesce(json_type(data, ${path}), 'null') WHEN 'null' THEN 1
    WHEN 'text' THEN json_extract(data, ${path}) = '' WHEN 'array' THEN json_array_length(data, ${path}) = 0
    WHEN 'object' THEN json_extract(data, ${path}) = '{}' ELSE 0 END)`;
}

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Names the functions the predicates call; idempotent, per connection. */
export function registerRecordFunctions(db: SqliteDatabase): void {
  // Whether a record (its JSON text) has a value holding the (lower-cased) needle.
  db.function("trawl_search", { deterministic: true }, (data: unknown, needle: unknown) =>
    typeof data === "string" && valuesInclude(JSON.parse(data), String(needle)) ? 1 : 0,
  );
  // Whether one value (text, a number, NULL) holds the (lower-cased) needle.
  db.function("trawl_contains", { deterministic: true }, (value: unknown, needle: unknown) =>
    value !== null && String(value).toLowerCase().includes(String(needle)) ? 1 : 0,
  );
}

/** The conditions of a selection's search and filters. */
export function predicatesOf(selection: CheckedSelection): Predicates {
  const predicates: Predicates = { sql: [], params: {} };
  const param = (value: unknown) => {
    const name = `p${Object.keys(predicates.params).length}`;
    predicates.params[name] = value;
    return `@${name}`;
  };
  if (selection.search) {
    const needle = selection.search.toLowerCase();
    const pattern = likePattern(needle);
    if (pattern) predicates.sql.push(`data LIKE ${param(pattern)} ESCAPE '!'`);
    predicates.sql.push(`trawl_search(data, ${param(needle)})`);
  }
  for (const filter of selection.filters) predicates.sql.push(filterSql(filter, param));
  return predicates;
}

function filterSql(filter: RecordFilter, param: (value: unknown) => string): string {
  const value = filterValue(filter.field);
  const text = filter.value ?? "";
  const equal = () => {
    const test = `(${value} = ${param(text)} OR ${value} = ${param(NUMBER.test(text) ? Number(text) : null)})`;
    // Plain text equal to a field's value is in the record's JSON as that JSON string: a quick
    // test that spares most rows the JSON functions (not for numbers, booleans, objects, whose text differs).
    const plain = !NUMBER.test(text) && !["true", "false"].includes(text) && !/^[[{]/.test(text);
    return plain ? `(instr(data, ${param(JSON.stringify(text))}) > 0 AND ${test})` : test;
  };
  switch (filter.op) {
    case "eq":
      return equal();
    case "ne":
      return `NOT coalesce(${equal()}, 0)`;
    case "contains": {
      const needle = text.toLowerCase();
      const pattern = likePattern(needle);
      const like = pattern ? `${value} LIKE ${param(pattern)} ESCAPE '!' AND ` : "";
      return `(${like}trawl_contains(${value}, ${param(needle)}))`;
    }
    case "empty":
      return emptyTest(filter.field);
    case "notempty":
      return `NOT ${emptyTest(filter.field)}`;
  }
}
