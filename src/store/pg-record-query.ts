/**
 * Record queries over PostgreSQL (see record-query.ts for what they mean), answered as SQLite's
 * are (sqlite-record-query.ts): a page is read by keyset after its cursor, in stored order over
 * the primary key, or sorted in (sort key, order key) order, through a sort index when the stage
 * is large (pg-sort-indexes.ts). Totals are counted on each query: PostgreSQL has no cheap "has
 * anything changed" to cache them by, as SQLite's data_version is.
 */
import type pg from "pg";
import { RecordQueryError } from "./errors.ts";
import {
  binder,
  FOLD_COLLATIONS,
  hasField,
  predicatesOf,
  type Fold,
  sortKey,
  SOURCE,
  stageScope,
  type Bind,
  type Predicates,
} from "./pg-record-predicates.ts";
import { PgSortIndexes, SORT_INDEX_MIN_RECORDS } from "./pg-sort-indexes.ts";
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

/** A row of a page; sorted, with its sort key (kind NULL: no value). */
interface Row {
  ord: string;
  data: string;
  source: string | null;
  kind?: number | null;
  num?: number;
  txt?: string;
}

/** One query, checked and translated. */
interface Plan {
  runId: string;
  stage: number;
  scope: string;
  selection: CheckedSelection;
  predicates: Predicates;
  fingerprint: string;
}

/** A part of the order (nulls, values) with its own conditions; pages run through them in turn. */
interface Segment {
  where(bind: Bind): string[];
  orderBy: string;
}

/** A row's sort value as a cursor keeps it: its number, its (folded) text, or null. */
function sortValue(row: Row): string | number | null {
  if (row.kind === 1) return row.num!;
  if (row.kind === 2) return row.txt!;
  return null;
}

/** Answers record queries on a pool. */
export class PgRecordQuery {
  private readonly knownFields = new Set<string>();
  private fold: Promise<Fold> | undefined;
  readonly sortIndexes: PgSortIndexes;

  constructor(private readonly pool: pg.Pool) {
    this.sortIndexes = new PgSortIndexes(pool);
  }

  /** One page of a stored stage's records (`stage`: the stored stage, aliases resolved). */
  async page(runId: string, stage: number, query: RecordQuery): Promise<RecordQueryPage> {
    const plan = await this.plan(runId, stage, query);
    const sorted = plan.selection.sort !== undefined;
    const cursor = query.cursor ? decodeCursor(query.cursor, plan.fingerprint, sorted) : undefined;
    const total = await this.count(plan.scope, plan.predicates);
    await this.ensureIndex(plan, total);
    const offset = cursor ? cursor.index : (query.offset ?? 0);
    const rows = await this.rows(plan, cursor, cursor ? 0 : offset, query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const next =
      rows.length > query.limit && last
        ? encodeCursor(plan.fingerprint, {
            index: offset + page.length,
            key: last.ord,
            ...(sorted && { value: sortValue(last) }),
          })
        : null;
    return { total, offset, next, records: page.map((row, i) => this.record(plan, row, offset + i)) };
  }

  /** Every record of a selection in its order, `batchSize` at a time (no cursor stays open between pages). */
  async *pages(
    runId: string,
    stage: number,
    selection: RecordSelection,
    batchSize: number,
  ): AsyncGenerator<QueriedRecord[]> {
    const plan = await this.plan(runId, stage, selection);
    if (plan.selection.sort) await this.ensureIndex(plan, await this.count(plan.scope, plan.predicates));
    let cursor: CursorState | undefined;
    let index = 0;
    for (;;) {
      const rows = await this.rows(plan, cursor, 0, batchSize);
      yield rows.map((row, i) => this.record(plan, row, index + i));
      const last = rows.at(-1);
      if (rows.length < batchSize || !last) return;
      index += rows.length;
      cursor = { index, key: last.ord, value: sortValue(last) };
    }
  }

  /** How many rows of a stage match. */
  async count(scope: string, predicates: Predicates = { sql: [], params: [] }): Promise<number> {
    const { rows } = await this.pool.query<{ total: number }>(
      `SELECT count(*) AS total FROM records WHERE ${[scope, ...predicates.sql].join(" AND ")}`,
      predicates.params,
    );
    return rows[0]!.total;
  }

  private async plan(runId: string, stage: number, selection: RecordSelection): Promise<Plan> {
    const checked = checkSelection(selection);
    const scope = stageScope(runId, stage);
    if (checked.sort) await this.requireField(scope, checked.sort.field, "TRAWL_ERR_RECORDS_BAD_SORT", stage);
    for (const filter of checked.filters)
      await this.requireField(scope, filter.field, "TRAWL_ERR_RECORDS_BAD_FILTER", stage);
    return {
      runId,
      stage,
      scope,
      selection: checked,
      predicates: predicatesOf(checked, await this.foldCollation()),
      fingerprint: selectionFingerprint(runId, stage, checked),
    };
  }

  /** The best of {@link FOLD_COLLATIONS} the server has, asked once. */
  private foldCollation(): Promise<Fold> {
    this.fold ??= this.pool
      .query<{ name: Fold }>(
        `SELECT collname AS name FROM pg_collation
         WHERE collname::text = ANY ($1::text[]) AND collencoding IN (-1, pg_char_to_encoding(getdatabaseencoding()))
         ORDER BY array_position($1::text[], collname::text) LIMIT 1`,
        [FOLD_COLLATIONS],
      )
      .then(({ rows }) => rows[0]?.name ?? null)
      .catch((error: unknown) => {
        this.fold = undefined; // asked again next time
        throw error;
      });
    return this.fold;
  }

  /** Refuses a field no record of a (non-empty) stage has: most likely a typo. */
  private async requireField(
    scope: string,
    field: string,
    code: ConstructorParameters<typeof RecordQueryError>[0],
    stage: number,
  ): Promise<void> {
    const key = `${scope}|${field}`;
    if (this.knownFields.has(key)) return;
    const { rows } = await this.pool.query<{ any: boolean; found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM records WHERE ${scope}) AS any,
              EXISTS (SELECT 1 FROM records WHERE ${scope} AND ${hasField(field)}) AS found`,
    );
    const { any, found } = rows[0]!;
    if (any && !found)
      throw new RecordQueryError(code, `no record of stage ${stage} has a field ${JSON.stringify(field)}`, {
        details: { field, stage },
      });
    if (found) this.knownFields.add(key);
  }

  /**
   * Makes the sort index of a large stage's sort field. Whether a page reads through it (many
   * matches) or scans and sorts (few) is the planner's choice, which SQLite's code makes itself.
   */
  private async ensureIndex(plan: Plan, total: number): Promise<void> {
    const sort = plan.selection.sort;
    if (!sort) return;
    const stageTotal = plan.predicates.sql.length > 0 ? await this.count(plan.scope) : total;
    if (stageTotal >= SORT_INDEX_MIN_RECORDS)
      await this.sortIndexes.ensure(plan.runId, plan.stage, sort.field);
  }

  /** Up to `limit` rows after `cursor` (or after skipping `skip`), through the segments in order. */
  private async rows(
    plan: Plan,
    cursor: CursorState | undefined,
    skip: number,
    limit: number,
  ): Promise<Row[]> {
    const out: Row[] = [];
    for (const segment of this.segments(plan, cursor)) {
      if (out.length >= limit) break;
      const rows = await this.select(plan, segment, limit - out.length, skip);
      // Skipped past this whole segment: skip what is left in the next.
      skip = rows.length === 0 && skip > 0 ? Math.max(0, skip - (await this.countSegment(plan, segment))) : 0;
      out.push(...rows);
    }
    return out;
  }

  /**
   * The order as segments: stored order; or, sorted ascending, records without a value (by
   * order key) then by sort key and order key; descending the exact reverse.
   */
  private segments(plan: Plan, cursor: CursorState | undefined): Segment[] {
    const sort = plan.selection.sort;
    if (!sort) return [{ where: (bind) => (cursor ? [`ord > ${bind(cursor.key)}`] : []), orderBy: "ord" }];
    const [kind, num, txt] = sortKey(sort.field);
    const desc = sort.order === "desc";
    const nulls = (after?: CursorState): Segment => ({
      where: (bind) => [`${kind} IS NULL`, ...(after ? [`ord ${desc ? "<" : ">"} ${bind(after.key)}`] : [])],
      orderBy: desc ? "ord DESC" : "ord",
    });
    const values = (after?: CursorState): Segment => ({
      where: (bind) => {
        if (!after) return [`${kind} IS NOT NULL`];
        const number = typeof after.value === "number";
        const key = `(${bind(number ? 1 : 2)}::int, ${bind(number ? after.value : 0)}::float8, ${bind(number ? "" : after.value)}, ${bind(after.key)})`;
        return [`${kind} IS NOT NULL`, `(${kind}, ${num}, ${txt}, ord) ${desc ? "<" : ">"} ${key}`];
      },
      orderBy: desc ? `${kind} DESC, ${num} DESC, ${txt} DESC, ord DESC` : `${kind}, ${num}, ${txt}, ord`,
    });
    const inValues = cursor !== undefined && cursor.value !== null && cursor.value !== undefined;
    if (desc) {
      if (!cursor) return [values(), nulls()];
      return inValues ? [values(cursor), nulls()] : [nulls(cursor)];
    }
    if (!cursor) return [nulls(), values()];
    return inValues ? [values(cursor)] : [nulls(cursor), values()];
  }

  private async select(plan: Plan, segment: Segment, limit: number, skip: number): Promise<Row[]> {
    const params = [...plan.predicates.params];
    const bind = binder(params);
    const sort = plan.selection.sort;
    const key = sort ? sortKey(sort.field) : undefined;
    const sql = `SELECT ord, data, ${SOURCE} AS source${key ? `, ${key[0]} AS kind, ${key[1]} AS num, ${key[2]} AS txt` : ""}
      FROM records WHERE ${[plan.scope, ...plan.predicates.sql, ...segment.where(bind)].join(" AND ")}
      ORDER BY ${segment.orderBy} LIMIT ${bind(limit)} OFFSET ${bind(skip)}`;
    return (await this.pool.query<Row>(sql, params)).rows;
  }

  private async countSegment(plan: Plan, segment: Segment): Promise<number> {
    const params = [...plan.predicates.params];
    const where = [plan.scope, ...plan.predicates.sql, ...segment.where(binder(params))];
    const { rows } = await this.pool.query<{ total: number }>(
      `SELECT count(*) AS total FROM records WHERE ${where.join(" AND ")}`,
      params,
    );
    return rows[0]!.total;
  }

  /** A row as a record; its position is the running index in stored order, else a step row's number. */
  private record(plan: Plan, { ord, data, source }: Row, index: number): QueriedRecord {
    const storedOrder = !plan.selection.sort && plan.predicates.sql.length === 0;
    const position = storedOrder ? index : /^\d{12}$/.test(ord) ? Number(ord) : null;
    return { data: JSON.parse(data) as unknown, source, position };
  }
}
