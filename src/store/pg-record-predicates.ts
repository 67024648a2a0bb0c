/**
 * The SQL of a record query's parts over PostgreSQL's `records` table: where a stage's rows are,
 * a field's sort key, the search and the filters, meaning exactly what SQLite's do
 * (sqlite-record-predicates.ts; record-query.ts and contract/records.ts say what that is).
 *
 * Records are JSON text. A field is read through `jsonb` (one parse, then a lookup), except
 * where SQLite answers with the field's JSON text as written (objects, arrays and numbers as
 * text): `json` keeps the text, `jsonb` rewrites it. PostgreSQL refuses a `\u0000` escape in
 * either, so the text is parsed with U+FFFD in its place: a record holding a NUL is still found.
 */
import { likePattern, type CheckedSelection, type RecordFilter } from "./record-query.ts";
import { PG_KEY_SEPARATOR } from "./pg-record-keys.ts";

/** SQL conditions (ANDed) and the values of their parameters ($1, $2, … in order). */
export interface Predicates {
  sql: string[];
  params: unknown[];
}

/** Adds a parameter's value and answers its placeholder. */
export type Bind = (value: unknown) => string;

/** A binder appending to `params`. */
export function binder(params: unknown[]): Bind {
  return (value) => {
    params.push(value);
    return `$${params.length}`;
  };
}

/** An SQL string literal (standard_conforming_strings, PostgreSQL's default since 9.1). */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const SEPARATOR = `chr(${PG_KEY_SEPARATOR.charCodeAt(0)})`;

/**
 * A row's source page as stored (pg-record-keys.ts: U+0001 for SQLite's NUL): its `source`,
 * else, for a crawl row, its order key up to the position (the URL, and a POST's body digest).
 */
export const SOURCE_KEY = `COALESCE(source, CASE WHEN stage = 0 THEN left(ord, length(ord) - strpos(reverse(ord), ${SEPARATOR})) END)`;

/** The URL of a row's source page: {@link SOURCE_KEY} up to its first separator. */
export const SOURCE = `COALESCE(split_part(source, ${SEPARATOR}, 1), CASE WHEN stage = 0 THEN split_part(ord, ${SEPARATOR}, 1) END)`;

/**
 * The rows of a stored stage, with the run and stage written as literals: the planner uses a
 * partial sort index (`WHERE` this same text) only for a query whose conditions imply it.
 */
export function stageScope(runId: string, stage: number): string {
  if (!Number.isInteger(stage) || stage < 0) throw new RangeError(`bad stage ${stage}`);
  return `run_id = ${literal(runId)} AND stage = ${stage}`;
}

const TEXT = String.raw`replace(data, '\u0000', '\ufffd')`;
/** The record parsed, as jsonb (fields by lookup) and as json (fields' text as written). */
const JSONB = `(${TEXT})::jsonb`;
const JSON_TEXT = `(${TEXT})::json`;

/** A field's parts (checked by `checkSelection`: not empty, no quote, backslash or control). */
function parts(field: string) {
  const name = literal(field);
  return {
    type: `jsonb_typeof(${JSONB} -> ${name})`,
    value: `(${JSONB} -> ${name})`,
    text: `(${JSONB} ->> ${name})`,
    written: `(${JSON_TEXT} ->> ${name})`,
  };
}

/** Whether a record has a field (null counts: it has a value, null). */
export function hasField(field: string): string {
  return `${parts(field).type} IS NOT NULL`;
}

/**
 * A field's sort key, three columns compared in turn (the columns of its sort index): the kind
 * (NULL: missing or null, 1: a number or boolean, 2: text, objects and arrays by their JSON
 * text); the number (booleans 1/0, as SQLite's json_extract gives them); the text, lower-cased
 * in ASCII only and compared bytewise, as SQLite's NOCASE does.
 */
export function sortKey(field: string): [kind: string, number: string, text: string] {
  const { type, text, written } = parts(field);
  return [
    `(CASE ${type} WHEN 'number' THEN 1 WHEN 'boolean' THEN 1 WHEN 'string' THEN 2 WHEN 'object' THEN 2 WHEN 'array' THEN 2 END)`,
    `(CASE ${type} WHEN 'number' THEN ${text}::float8 WHEN 'boolean' THEN (${text} = 'true')::int::float8 ELSE 0::float8 END)`,
    `(CASE ${type} WHEN 'string' THEN lower(${text} COLLATE "C") WHEN 'object' THEN lower(${written} COLLATE "C") WHEN 'array' THEN lower(${written} COLLATE "C") ELSE '' END COLLATE "C")`,
  ];
}

/** A field's value as filters see it: text, numbers, objects and arrays as written, booleans by name; NULL when null or missing. */
function filterValue(field: string): string {
  const { type, text, written } = parts(field);
  return `(CASE ${type} WHEN 'string' THEN ${text} WHEN 'boolean' THEN ${text} ELSE ${written} END)`;
}

/** Whether a field is missing, null, '', [] or {}. */
function emptyTest(field: string): string {
  const { type, text, value } = parts(field);
  return `(CASE coalesce(${type}, 'null') WHEN 'null' THEN true WHEN 'string' THEN ${text} = ''
    WHEN 'array' THEN ${value} = '[]'::jsonb WHEN 'object' THEN ${value} = '{}'::jsonb ELSE false END)`;
}

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Text to compare with a record's: NULs as the records are read (PostgreSQL's text holds none). */
function comparable(text: string): string {
  return text.replaceAll("\u0000", "\ufffd");
}

/**
 * Collations whose lower() folds case as JavaScript's toLowerCase() does (the search and
 * `contains` ignore case so on SQLite), best first: Unicode's full case mapping (PostgreSQL 18),
 * its simple one (17). Without either, lower() follows the database's own locale, which folds
 * ASCII only when that is "C".
 */
export const FOLD_COLLATIONS = ["pg_unicode_fast", "pg_c_utf8"] as const;

/** How to ignore case: the collation (one of {@link FOLD_COLLATIONS}) lower() uses, or the database's. */
export type Fold = (typeof FOLD_COLLATIONS)[number] | null;

/** The conditions of a selection's search and filters, their parameters from $1. */
export function predicatesOf(selection: CheckedSelection, fold: Fold = null): Predicates {
  const lower = (text: string) => `lower(${text}${fold ? ` COLLATE ${fold}` : ""})`;
  const predicates: Predicates = { sql: [], params: [] };
  const bind = binder(predicates.params);
  if (selection.search) {
    const needle = comparable(selection.search.toLowerCase());
    const pattern = likePattern(needle);
    // A quick test on the text that spares most rows the parse (see likePattern).
    if (pattern) predicates.sql.push(`data ILIKE ${bind(pattern)} ESCAPE '!'`);
    predicates.sql.push(
      `EXISTS (SELECT 1 FROM jsonb_path_query(${JSONB}, 'strict $.**') AS v(j)
        WHERE jsonb_typeof(j) IN ('string', 'number', 'boolean') AND strpos(${lower("j #>> '{}'")}, ${bind(needle)}) > 0)`,
    );
  }
  for (const filter of selection.filters) predicates.sql.push(filterSql(filter, bind, lower));
  return predicates;
}

function filterSql(filter: RecordFilter, bind: Bind, lower: (text: string) => string): string {
  const value = filterValue(filter.field);
  const { type, text: fieldText } = parts(filter.field);
  const text = comparable(filter.value ?? "");
  const equal = () => {
    const number = NUMBER.test(text) ? Number(text) : null;
    const test = `(CASE ${type} WHEN 'number' THEN ${fieldText}::float8 = ${bind(number)}::float8 ELSE ${value} = ${bind(text)} END)`;
    // Plain text equal to a field's value is in the record's JSON as that JSON string: a quick
    // test that spares most rows the parse (not for numbers, booleans, objects, whose text differs).
    const plain =
      number === null && !["true", "false"].includes(text) && !/^[[{]/.test(text) && !text.includes("\ufffd");
    return plain ? `(strpos(data, ${bind(JSON.stringify(text))}) > 0 AND ${test})` : test;
  };
  switch (filter.op) {
    case "eq":
      return equal();
    case "ne":
      return `NOT coalesce(${equal()}, false)`;
    case "contains":
      return `coalesce(strpos(${lower(value)}, ${bind(text.toLowerCase())}) > 0, false)`;
    case "empty":
      return emptyTest(filter.field);
    case "notempty":
      return `NOT ${emptyTest(filter.field)}`;
  }
}
