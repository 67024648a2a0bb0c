/**
 * Record queries over SQLite (see record-query.ts for what they mean). A page is read by keyset
 * after its cursor: in stored order over the primary key; sorted, in (value, order key) order
 * through a sort index when the stage is large (sqlite-sort-indexes.ts), else by a scan and a
 * top-N sort. Totals are counted once per state of the database and reused until it changes.
 */
import type { SqliteDatabase } from "./database.ts";
import { RecordQueryError } from "./errors.ts";
import {
  checkSelection,
  decodeCursor,
  encodeCursor,
  selectionFingerprint,
  type CheckedSelection,
  type CursorState,
  type QueriedRecord,
  type RecordQuery,
  type RecordQueryPage,
  type RecordSelection,
} from "./record-query.ts";
import {
  fieldValue,
  hasField,
  predicatesOf,
  registerRecordFunctions,
  sortKey,
  SOURCE,
  stageScope,
  type Predicates,
} from "./sqlite-record-predicates.ts";
import { SORT_INDEX_MIN_RECORDS, SortIndexes } from "./sqlite-sort-indexes.ts";

/** A sorted, filtered query uses the sort index only when at least 1 in this many records match. */
const INDEX_SELECTIVITY = 50;

/** Totals remembered (per stage and search/filters) while the database does not change. */
const MAX_COUNTS = 200;

type Row = [ord: string, data: string, source: string | null, value?: string | number | null];

/** One query, checked and translated. */
interface Plan {
  runId: string;
  stage: number;
  scope: string;
  selection: CheckedSelection;
  predicates: Predicates;
  fingerprint: string;
  /** The sort index to read through, if any. */
  index: string | null;
}

/** A part of the order (nulls, values) with its own condition; pages run through them in turn. */
interface Segment {
  where: string[];
  orderBy: string;
  params: Record<string, unknown>;
}

/** Answers record queries on one connection. */
export class SqliteRecordQuery {
  private readonly counts = new Map<string, { token: string; total: number }>();
  private readonly knownFields = new Set<string>();
  readonly sortIndexes: SortIndexes;

  constructor(private readonly db: SqliteDatabase) {
    registerRecordFunctions(db);
    this.sortIndexes = new SortIndexes(db);
  }

  /** One page of a stored stage's records (`stage`: the stored stage, aliases resolved). */
  page(runId: string, stage: number, query: RecordQuery): RecordQueryPage {
    const plan = this.plan(runId, stage, query);
    const total = this.count(plan.scope, plan.predicates);
    plan.index = this.indexFor(plan, total);
    const sorted = plan.selection.sort !== undefined;
    const cursor = query.cursor ? decodeCursor(query.cursor, plan.fingerprint, sorted) : undefined;
    const offset = cursor ? cursor.index : (query.offset ?? 0);
    const rows = this.rows(plan, cursor, cursor ? 0 : offset, query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const next =
      rows.length > query.limit && last
        ? encodeCursor(plan.fingerprint, {
            index: offset + page.length,
            key: last[0],
            ...(sorted && { value: last[3] ?? null }),
          })
        : null;
    return { total, offset, next, records: page.map((row, i) => this.record(plan, row, offset + i)) };
  }

  /** Every record of a selection in its order, `batchSize` at a time (no statement stays open between pages). */
  *pages(
    runId: string,
    stage: number,
    selection: RecordSelection,
    batchSize: number,
  ): Generator<QueriedRecord[]> {
    const plan = this.plan(runId, stage, selection);
    plan.index = this.indexFor(plan, this.count(plan.scope, plan.predicates));
    let cursor: CursorState | undefined;
    let index = 0;
    for (;;) {
      const rows = this.rows(plan, cursor, 0, batchSize);
      yield rows.map((row, i) => this.record(plan, row, index + i));
      const last = rows.at(-1);
      if (rows.length < batchSize || !last) return;
      index += rows.length;
      cursor = { index, key: last[0], value: last[3] ?? null };
    }
  }

  /** How many rows of a stage match; remembered until the database changes. */
  count(scope: string, predicates: Predicates = { sql: [], params: {} }): number {
    const key = `${scope}|${predicates.sql.join(" AND ")}|${JSON.stringify(predicates.params)}`;
    const token = this.stateToken();
    const cached = this.counts.get(key);
    if (cached?.token === token) return cached.total;
    // Purpose: count a stage's matching records. Params: those of the search and filters.
    const total = this.db
      .prepare(`SELECT COUNT(*) FROM records WHERE ${[scope, ...predicates.sql].join(" AND ")}`)
      .pluck()
      .get(predicates.params) as number;
    if (this.counts.size >= MAX_COUNTS) this.counts.delete(this.counts.keys().next().value!);
    this.counts.set(key, { token, total });
    return total;
  }

  /** Changes whenever anything is committed, by this connection or another (process). */
  private stateToken(): string {
    const version = this.db.pragma("data_version", { simple: true }) as number;
    const own = this.db.prepare(`SELECT total_changes()`).pluck().get() as number;
    // Listing a new sort index changes no record: it must not make every total count again.
    return `${version}:${own - this.sortIndexes.bookkeeping}`;
  }

  private plan(runId: string, stage: number, selection: RecordSelection): Plan {
    const checked = checkSelection(selection);
    const scope = stageScope(runId, stage);
    if (checked.sort) this.requireField(scope, checked.sort.field, "TRAWL_ERR_RECORDS_BAD_SORT", stage);
    for (const filter of checked.filters)
      this.requireField(scope, filter.field, "TRAWL_ERR_RECORDS_BAD_FILTER", stage);
    return {
      runId,
      stage,
      scope,
      selection: checked,
      predicates: predicatesOf(checked),
      fingerprint: selectionFingerprint(runId, stage, checked),
      index: null,
    };
  }

  /** Refuses a field no record of a (non-empty) stage has: most likely a typo. */
  private requireField(
    scope: string,
    field: string,
    code: ConstructorParameters<typeof RecordQueryError>[0],
    stage: number,
  ) {
    const key = `${scope}|${field}`;
    if (this.knownFields.has(key)) return;
    // Purpose: is there any record in the stage, and one with the field?
    const any = this.db.prepare(`SELECT 1 FROM records WHERE ${scope} LIMIT 1`).get();
    const found = this.db
      .prepare(`SELECT 1 FROM records WHERE ${scope} AND ${hasField(field)} LIMIT 1`)
      .get();
    if (any && !found)
      throw new RecordQueryError(code, `no record of stage ${stage} has a field ${JSON.stringify(field)}`, {
        details: { field, stage },
      });
    if (found) this.knownFields.add(key);
  }

  /**
   * The sort index to read a sorted page through: made for a large stage, used unless the search
   * and filters match so few records that walking the index to find them costs more than a scan.
   */
  private indexFor(plan: Plan, total: number): string | null {
    const sort = plan.selection.sort;
    if (!sort) return null;
    const stageTotal = plan.predicates.sql.length > 0 ? this.count(plan.scope) : total;
    if (stageTotal < SORT_INDEX_MIN_RECORDS || total * INDEX_SELECTIVITY < stageTotal) return null;
    return this.sortIndexes.ensure(plan.runId, plan.stage, sort.field);
  }

  /** Up to `limit` rows after `cursor` (or after skipping `skip`), through the segments in order. */
  private rows(plan: Plan, cursor: CursorState | undefined, skip: number, limit: number): Row[] {
    const out: Row[] = [];
    for (const segment of this.segments(plan, cursor)) {
      if (out.length >= limit) break;
      const rows = this.select(plan, segment, limit - out.length, skip);
      // Skipped past this whole segment: skip what is left in the next.
      skip = rows.length === 0 && skip > 0 ? Math.max(0, skip - this.countSegment(plan, segment)) : 0;
      out.push(...rows);
    }
    return out;
  }

  /**
   * The order as segments: stored order; or, sorted ascending, records without a value (by
   * order key) then by value and order key; descending the exact reverse.
   */
  private segments(plan: Plan, cursor: CursorState | undefined): Segment[] {
    const sort = plan.selection.sort;
    const after = cursor ? { k: cursor.key } : {};
    if (!sort) return [{ where: cursor ? ["ord > @k"] : [], orderBy: "ord", params: after }];
    const key = sortKey(sort.field);
    const desc = sort.order === "desc";
    const nulls = (where: string[]): Segment => ({
      where: [`${key} IS NULL`, ...where],
      orderBy: desc ? "ord DESC" : "ord",
      params: where.length > 0 ? after : {},
    });
    const values = (from?: CursorState): Segment =>
      from
        ? {
            where: desc
              ? [`${key} <= @v`, `(${key} < @v OR ord < @k)`]
              : [`${key} >= @v`, `(${key} > @v OR ord > @k)`],
            orderBy: desc ? `${key} DESC, ord DESC` : `${key}, ord`,
            params: { k: from.key, v: from.value },
          }
        : {
            // Every value sorts above -infinity (numbers, then text): a range the index starts at.
            where: [`${key} >= -9e999`],
            orderBy: desc ? `${key} DESC, ord DESC` : `${key}, ord`,
            params: {},
          };
    const inValues = cursor !== undefined && cursor.value !== null && cursor.value !== undefined;
    if (desc) {
      if (!cursor) return [values(), nulls([])];
      return inValues ? [values(cursor), nulls([])] : [nulls(["ord < @k"])];
    }
    if (!cursor) return [nulls([]), values()];
    return inValues ? [values(cursor)] : [nulls(["ord > @k"]), values()];
  }

  private select(plan: Plan, segment: Segment, limit: number, skip: number): Row[] {
    const value = plan.selection.sort ? `, ${fieldValue(plan.selection.sort.field)}` : "";
    // Purpose: one segment's rows of a page. Params: search and filter values, cursor (k, v), limit, skip.
    return this.db
      .prepare(
        `SELECT ord, data, ${SOURCE}${value} FROM records${plan.index ? ` INDEXED BY ${plan.index}` : ""}
         WHERE ${[plan.scope, ...plan.predicates.sql, ...segment.where].join(" AND ")}
         ORDER BY ${segment.orderBy} LIMIT @limit OFFSET @skip`,
      )
      .raw()
      .all({ ...plan.predicates.params, ...segment.params, limit, skip }) as Row[];
  }

  private countSegment(plan: Plan, segment: Segment): number {
    // Purpose: how many rows one segment of a query holds (to skip past it). Params: as `select`.
    return this.db
      .prepare(
        `SELECT COUNT(*) FROM records WHERE ${[plan.scope, ...plan.predicates.sql, ...segment.where].join(" AND ")}`,
      )
      .pluck()
      .get({ ...plan.predicates.params, ...segment.params }) as number;
  }

  /** A row as a record; its position is the running index in stored order, else a step row's number. */
  private record(plan: Plan, [ord, data, source]: Row, index: number): QueriedRecord {
    const storedOrder = !plan.selection.sort && plan.predicates.sql.length === 0;
    const position = storedOrder ? index : /^\d{12}$/.test(ord) ? Number(ord) : null;
    return { data: JSON.parse(data) as unknown, source, position };
  }
}
