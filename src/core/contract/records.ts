/**
 * Querying a run's (or a dataset version's) records as the API serves them (GET
 * /api/runs/:id/records, GET /api/datasets/:name/versions/:version/records) and the web app reads
 * them: the query string, the filter vocabulary and the page of records. Imports nothing but
 * TypeBox, so the web app and the store can import it too.
 */
import { Type, type Static } from "typebox";
import type { RECORD_FILTER_OPS } from "./values.ts";

export { RECORD_FILTER_OPS } from "./values.ts";

/**
 * What a field filter tests, on a record's top-level field:
 * - `eq`: the value equals the filter's: text exactly (case-sensitive), a number numerically
 *   (`12.50` matches 12.5), `true`/`false` by name, an object or array by its JSON text;
 * - `ne`: not `eq` (a record without the field is `ne` anything);
 * - `contains`: the value holds the filter's text, ignoring case (numbers as written in JSON,
 *   objects and arrays by their JSON text);
 * - `empty`: the field is missing, null, `""`, `[]` or `{}`; `notempty`: it is not.
 */
export type RecordFilterOp = (typeof RECORD_FILTER_OPS)[number];

/** Filter operators that take no value. */
export const VALUELESS_FILTER_OPS: readonly RecordFilterOp[] = ["empty", "notempty"];

/** The order of a sort: `desc` is exactly the reverse of `asc`. */
export const SortOrderSchema = Type.Union([Type.Literal("asc"), Type.Literal("desc")]);
export type SortOrder = Static<typeof SortOrderSchema>;

/** Most records a page holds. */
export const MAX_RECORD_PAGE = 1000;

/**
 * The query string of the record routes (and of the downloads, which ignore the paging fields).
 * `filter` may be repeated: `field:op` or `field:op:value` (the value may hold `:`, the field may
 * not), e.g. `filter=location:eq:Berlin&filter=salary:notempty`.
 */
export const RecordQueryStringSchema = Type.Object({
  sort: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "a top-level field" })),
  order: Type.Optional(SortOrderSchema),
  search: Type.Optional(Type.String({ maxLength: 200, description: "text any value holds, ignoring case" })),
  filter: Type.Optional(
    Type.Union(
      [Type.String({ maxLength: 1000 }), Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 10 })],
      {
        description: "field:op[:value], op one of eq, ne, contains, empty, notempty; repeat for more",
      },
    ),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 4000, description: "`next` of the previous page" })),
  offset: Type.Optional(
    Type.Integer({ minimum: 0, description: "skip this many matching records (instead of `cursor`)" }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RECORD_PAGE, default: 50 })),
});
export type RecordQueryString = Static<typeof RecordQueryStringSchema>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** The parts every page of records has, whatever it was read from. */
const recordPageProperties = {
  /** Records matching the search and filters (all of them, not this page's). */
  total: Type.Integer(),
  /** How many matching records come before this page's first. */
  offset: Type.Integer(),
  /** Pass as `cursor` for the next page; null on the last page. */
  next: Nullable(Type.String()),
  /** Top-level fields of the stage's first records and of this page, in first-seen order: the columns. */
  fields: Type.Array(Type.String()),
  /** This page's records, in the query's order. */
  records: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  /**
   * `positions[i]`: where `records[i]` stands in the stage's stored order (what
   * `/api/runs/:id/source?record=` takes); null when the store cannot tell cheaply (a sorted or
   * filtered page of crawl records).
   */
  positions: Type.Array(Nullable(Type.Integer())),
  /** `sources[i]`: the URL of the page `records[i]` came from; null when unknown. */
  sources: Type.Array(Nullable(Type.String())),
};

/** A page of a run's records (GET /api/runs/:id/records). */
export const RunRecordPageSchema = Type.Object({
  /** The stage read: the final one unless the query named another. */
  stage: Type.Integer(),
  ...recordPageProperties,
});
export type RunRecordPage = Static<typeof RunRecordPageSchema>;

/** A page of a dataset version's records (GET /api/datasets/:name/versions/:version/records). */
export const DatasetRecordPageSchema = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  /** The run that published the version. */
  runId: Type.String(),
  /** Where the records were read: the run's stored records, or the version's own file. */
  from: Type.Union([Type.Literal("run"), Type.Literal("file")]),
  ...recordPageProperties,
});
export type DatasetRecordPage = Static<typeof DatasetRecordPageSchema>;
