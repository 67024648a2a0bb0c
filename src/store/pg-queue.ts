/**
 * The request queue of each run, in PostgreSQL: `SqliteRequestQueue`'s behaviour, shared by
 * several processes leasing from one run. A lease takes the oldest pending requests with
 * `FOR UPDATE SKIP LOCKED`, so two processes never lease the same request and never wait on each
 * other; a completion marks the request finished, stores its crawl records and enqueues its
 * links in one transaction. No worker thread: the driver is asynchronous already.
 */
import type pg from "pg";
import { InternalError, type RequestBody } from "../core/index.ts";
import { pgTransaction, type PgQueryable } from "./pg-database.ts";
import { completeBatch, outcomeColumns } from "./pg-complete-batch.ts";
import { pgCrawlRecordOrder } from "./pg-record-keys.ts";
import { notifyPending, PENDING_CHANNEL, PgNotifications } from "./pg-queue-notify.ts";
import type {
  Completion,
  FailureGroup,
  NewRequest,
  QueuedRequest,
  RequestOutcome,
  RequestQueue,
  TargetCounts,
} from "./types.ts";

/** The columns of a request as leased, in `QueuedRequest`'s names. */
const REQUEST_COLUMNS = `r.id, r.url, r.page_type AS "pageType", r.target, r.depth, r.lastmod,
  r.body_type AS "bodyType", r.body, r.lease_epoch AS epoch`;

/** How long a lease lasts unless its holder renews it, by default (see {@link PgQueueOptions}). */
export const DEFAULT_LEASE_MS = 15_000;

export interface PgQueueOptions {
  /**
   * How long a lease lasts unless its holder's heartbeat renews it: a process that stops (killed,
   * paused by SIGSTOP, a long GC) gets its requests given to others this long after.
   */
  leaseMs?: number;
}

/** A request row as leased: a GET has '' as its body type; one not leased has no epoch. */
interface RequestRow extends Omit<QueuedRequest, "body" | "epoch"> {
  bodyType: "" | RequestBody["type"];
  body: string;
  epoch: number | null;
}

/** The request of a row: its body only when it is a POST. */
function requestOf({ bodyType, body, epoch, ...request }: RequestRow): QueuedRequest {
  const leased = epoch === null ? request : { ...request, epoch };
  return bodyType === "" ? leased : { ...leased, body: { type: bodyType, text: body } };
}

/** How a request is told apart from the run's others: its URL and body (the unique key). */
function identityOf({ url, body }: NewRequest): [string, string, string] {
  return [url, body?.type ?? "", body?.text ?? ""];
}

function compareIdentities(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/**
 * Adds `requests` to the run unless it has them; resolves to whether each one was new.
 *
 * An insert whose key another transaction holds uncommitted (a request it inserted, or one it
 * is finishing) waits for that one to end; two transactions each waiting on the other deadlock,
 * and PostgreSQL needs a second to notice. So requests the run has already (a page another
 * process is finishing among them) are left out by a plain read, which waits on nothing; the
 * new ones go in by their unique key, the same order in every transaction (pages with links
 * A, B and B, A), with ids taken beforehand in the order given: leases still take them in the
 * order they were found, as SQLite's do.
 */
async function insertRequests(
  db: PgQueryable,
  runId: string,
  requests: readonly NewRequest[],
  now: number,
): Promise<boolean[]> {
  if (requests.length === 0) return [];
  // Purpose: ids for the new requests, in their order. Params: how many.
  const taken = await db.query<{ id: number }>(
    `SELECT nextval(pg_get_serial_sequence('requests', 'id')) AS id FROM generate_series(1, $1::integer)`,
    [requests.length],
  );
  const ids = taken.rows.map((row) => row.id).sort((a, b) => a - b);
  const identities = requests.map(identityOf);
  const order = requests
    .map((_, index) => index)
    .sort((a, b) => compareIdentities(identities[a]!, identities[b]!) || a - b);
  const column = <T>(pick: (index: number) => T): T[] => order.map(pick);
  // Purpose: add the requests the run does not have yet, in the arrays' order (by key). Params:
  // run, now, then one array per column: id, url, page type, target, depth, lastmod, body type, body.
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO requests (id, run_id, url, page_type, target, depth, lastmod, body_type, body, updated_at)
     SELECT id, $1, url, page_type, target, depth, lastmod, body_type, body, $2
     FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::integer[], $8::text[], $9::text[], $10::text[])
       WITH ORDINALITY AS n(id, url, page_type, target, depth, lastmod, body_type, body, position)
     WHERE NOT EXISTS (SELECT 1 FROM requests q
                       WHERE q.run_id = $1 AND q.url = n.url AND q.body_type = n.body_type AND q.body = n.body)
     ORDER BY position
     ON CONFLICT (run_id, url, body_type, body) DO NOTHING
     RETURNING id`,
    [
      runId,
      now,
      column((i) => ids[i]),
      column((i) => requests[i]!.url),
      column((i) => requests[i]!.pageType),
      column((i) => requests[i]!.target),
      column((i) => requests[i]!.depth),
      column((i) => requests[i]!.lastmod ?? null),
      column((i) => identities[i]![1]),
      column((i) => identities[i]![2]),
    ],
  );
  const added = new Set(inserted.rows.map((row) => row.id));
  return ids.map((id) => added.has(id));
}

/** A completion's row once finished: the request's URL and body (its records' keys). */
interface Finished {
  url: string;
  body?: RequestBody;
}

/**
 * Marks each completion's request finished if it is still leased (the first completion of a
 * request given twice); resolves to the finished ones by their index in `completions`.
 */
async function finishLeased(
  client: pg.PoolClient,
  runId: string,
  completions: readonly Completion[],
  now: number,
): Promise<Map<number, Finished>> {
  const first = new Map<number, number>();
  completions.forEach((c, index) => first.has(c.requestId) || first.set(c.requestId, index));
  const indexes = [...first.values()];
  const values = indexes.map((i) => outcomeColumns(completions[i]!.outcome, completions[i]!.records.length));
  // Purpose: finish the leased ones of the requests, each only under the lease it was leased
  // with when its epoch is given (a lease that expired and went to another process is not
  // finished). Params: run, now, then one array per column: id, epoch, state, status, reason,
  // error, records.
  const { rows } = await client.query<RequestRow>(
    `UPDATE requests r SET state = c.state, http_status = c.status, reason = c.reason, error = c.error,
       records = c.records, lease_owner = NULL, lease_epoch = NULL, lease_expires_at = NULL, updated_at = $2
     FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::integer[], $7::text[], $8::text[], $9::integer[])
       AS c(id, epoch, state, status, reason, error, records)
     WHERE r.run_id = $1 AND r.id = c.id AND r.state = 'leased'
       AND (c.epoch IS NULL OR r.lease_epoch = c.epoch)
     RETURNING ${REQUEST_COLUMNS}`,
    [
      runId,
      now,
      indexes.map((i) => completions[i]!.requestId),
      indexes.map((i) => completions[i]!.epoch ?? null),
      ...[0, 1, 2, 3, 4].map((k) => values.map((v) => v[k])),
    ],
  );
  const finished = new Map<number, Finished>();
  for (const row of rows) {
    const index = first.get(row.id)!;
    const { url, body } = completions[index]!;
    finished.set(index, url === undefined ? requestOf(row) : { url, body });
  }
  return finished;
}

/** Throws, as SQLite's queue does, for a completion of a request the run does not have and whose URL it was not given. */
async function checkExist(
  client: pg.PoolClient,
  runId: string,
  completions: readonly Completion[],
  finished: ReadonlyMap<number, Finished>,
): Promise<void> {
  const unknown = completions.filter((c, index) => c.url === undefined && !finished.has(index));
  if (unknown.length === 0) return;
  // Purpose: which of the requests exist. Params: run, ids.
  const { rows } = await client.query<{ id: number }>(
    `SELECT id FROM requests WHERE run_id = $1 AND id = ANY($2::bigint[])`,
    [runId, unknown.map((c) => c.requestId)],
  );
  const existing = new Set(rows.map((row) => row.id));
  const missing = unknown.find((c) => !existing.has(c.requestId));
  if (missing) throw new InternalError(`request ${missing.requestId} of run ${runId} does not exist`);
}

/**
 * Stores the crawl records of the finished completions, a record of the same key replaced, as
 * SQLite's queue does: keyed by the page's URL, POST body digest and position (with U+0001 for
 * SQLite's NUL, pg-record-keys.ts), `source` left NULL (readers take it from the key).
 */
async function storeRecords(
  client: pg.PoolClient,
  runId: string,
  completions: readonly Completion[],
  finished: ReadonlyMap<number, Finished>,
): Promise<void> {
  const rows = new Map<string, [string, string]>();
  for (const [index, { url, body }] of finished) {
    completions[index]!.records.forEach((record, position) =>
      rows.set(pgCrawlRecordOrder(url, position, body), [record.target, JSON.stringify(record.data)]),
    );
  }
  if (rows.size === 0) return;
  const values = [...rows.values()];
  // Purpose: store crawl-stage records. Params: run, then one array per column: order key,
  // target, JSON data.
  await client.query(
    `INSERT INTO records (run_id, stage, ord, target, data)
     SELECT $1, 0, ord, target, data FROM unnest($2::text[], $3::text[], $4::text[]) AS n(ord, target, data)
     ON CONFLICT (run_id, stage, ord) DO UPDATE
       SET target = EXCLUDED.target, data = EXCLUDED.data, source = NULL`,
    [runId, [...rows.keys()], ...[0, 1].map((k) => values.map((v) => v[k]))],
  );
}

/** The request queue of each run, in PostgreSQL. */
export class PgRequestQueue implements RequestQueue {
  readonly shared = true;
  private readonly leaseMs: number;
  private readonly notifications: PgNotifications;

  constructor(
    private readonly pool: pg.Pool,
    options: PgQueueOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.notifications = new PgNotifications(pool, PENDING_CHANNEL);
  }

  async enqueue(runId: string, requests: NewRequest[], now: number): Promise<number> {
    const added = await pgTransaction(this.pool, async (client) => {
      const inserted = await insertRequests(client, runId, requests, now);
      if (inserted.includes(true)) await notifyPending(client, runId);
      return inserted;
    });
    return added.filter(Boolean).length;
  }

  async lease(runId: string, owner: string, limit: number, now: number): Promise<QueuedRequest[]> {
    // Purpose: lease the oldest pending requests of a run, skipping those another process is
    // leasing right now; each lease gets a new epoch and a deadline. Params: owner, now, run,
    // limit (null: all, as SQLite's negative limit), deadline.
    const { rows } = await this.pool.query<RequestRow>(
      `WITH next AS (
         SELECT id FROM requests WHERE run_id = $3 AND state = 'pending' ORDER BY id LIMIT $4
         FOR UPDATE SKIP LOCKED
       )
       UPDATE requests r SET state = 'leased', lease_owner = $1, updated_at = $2,
         lease_epoch = nextval('lease_epochs'), lease_expires_at = $5
       FROM next WHERE r.id = next.id
       RETURNING ${REQUEST_COLUMNS}`,
      [owner, now, runId, limit < 0 ? null : limit, now + this.leaseMs],
    );
    return rows.map(requestOf).sort((a, b) => a.id - b.id);
  }

  async reclaim(runId: string, now: number, gone?: string): Promise<number> {
    // Purpose: leases whose holder stopped renewing them, or is known to be gone, go back to
    // pending (a lease from before deadlines existed has none: its holder is long gone). Rows
    // another transaction holds (a late completion, another reclaim) are skipped, never waited
    // for: locking several rows while a completion locks some of them in another order
    // deadlocks. Params: now, run, the gone holder (null: none).
    const { rowCount } = await this.pool.query(
      `WITH expired AS (
         SELECT id FROM requests
         WHERE run_id = $2 AND state = 'leased'
           AND (lease_expires_at IS NULL OR lease_expires_at <= $1 OR lease_owner = $3)
         FOR UPDATE SKIP LOCKED
       )
       UPDATE requests r SET state = 'pending', lease_owner = NULL, lease_epoch = NULL, lease_expires_at = NULL,
         updated_at = $1
       FROM expired WHERE r.id = expired.id`,
      [now, runId, gone ?? null],
    );
    if (rowCount) await notifyPending(this.pool, runId);
    return rowCount ?? 0;
  }

  async renew(runId: string, owner: string, now: number): Promise<number> {
    // Purpose: the heartbeat of a lease holder pushes its deadlines back, skipping the rows its
    // completions hold (they are being finished; waiting for them while holding others deadlocks,
    // see reclaim). Params: run, owner, deadline.
    const { rowCount } = await this.pool.query(
      `WITH mine AS (
         SELECT id FROM requests WHERE run_id = $1 AND state = 'leased' AND lease_owner = $2
         FOR UPDATE SKIP LOCKED
       )
       UPDATE requests r SET lease_expires_at = $3 FROM mine WHERE r.id = mine.id`,
      [runId, owner, now + this.leaseMs],
    );
    return rowCount ?? 0;
  }

  async unfinished(runId: string): Promise<boolean> {
    // Purpose: whether the run's crawl has requests left, pending or leased by anyone. Params: run.
    const { rows } = await this.pool.query(
      `SELECT EXISTS (SELECT 1 FROM requests WHERE run_id = $1 AND state = 'pending')
           OR EXISTS (SELECT 1 FROM requests WHERE run_id = $1 AND state = 'leased') AS unfinished`,
      [runId],
    );
    return rows[0].unfinished as boolean;
  }

  watch(listener: (runId: string) => void): () => void {
    return this.notifications.watch(listener);
  }

  async complete(
    runId: string,
    requestId: number,
    outcome: RequestOutcome,
    records: { target: string; data: unknown }[],
    links: NewRequest[],
    now: number,
  ): Promise<number> {
    const [added] = await this.completeMany(runId, [{ requestId, outcome, records, links }], now);
    return added!;
  }

  async completeMany(runId: string, completions: Completion[], now: number): Promise<number[]> {
    if (completions.length === 0) return [];
    // The crawl's case, in one round trip; a completion without its URL needs the lookups below.
    if (completions.every((c) => c.url !== undefined))
      return completeBatch(this.pool, runId, completions, now);
    return pgTransaction(this.pool, async (client) => {
      const finished = await finishLeased(client, runId, completions, now);
      await checkExist(client, runId, completions, finished);
      await storeRecords(client, runId, completions, finished);
      // Every finished completion's links in one insert (see insertRequests for the order).
      const done = [...finished.keys()].sort((a, b) => a - b);
      const links = done.flatMap((index) => completions[index]!.links);
      const added = await insertRequests(client, runId, links, now);
      if (added.includes(true)) await notifyPending(client, runId);
      const counts = completions.map(() => -1);
      let offset = 0;
      for (const index of done) {
        const count = completions[index]!.links.length;
        counts[index] = added.slice(offset, (offset += count)).filter(Boolean).length;
      }
      return counts;
    });
  }

  async release(runId: string, requestIds: number[], now: number): Promise<void> {
    if (requestIds.length === 0) return;
    // Purpose: give leased requests back without finishing them. Params: now, run, ids.
    await this.pool.query(
      `UPDATE requests SET state = 'pending', lease_owner = NULL, lease_epoch = NULL, lease_expires_at = NULL,
         updated_at = $1
       WHERE run_id = $2 AND id = ANY($3::bigint[]) AND state = 'leased'`,
      [now, runId, requestIds],
    );
    await notifyPending(this.pool, runId);
  }

  async counts(runId: string): Promise<TargetCounts[]> {
    // Purpose: per-target progress counters, by target as SQLite groups them. Params: run.
    const { rows } = await this.pool.query<TargetCounts>(
      `SELECT target,
              count(*) FILTER (WHERE state = 'pending') AS pending,
              count(*) FILTER (WHERE state = 'leased') AS leased,
              count(*) FILTER (WHERE state = 'done') AS done,
              count(*) FILTER (WHERE state = 'failed') AS failed,
              sum(records) AS records
       FROM requests WHERE run_id = $1 GROUP BY target ORDER BY target COLLATE "C"`,
      [runId],
    );
    return rows;
  }

  async failures(runId: string): Promise<FailureGroup[]> {
    // Purpose: errors grouped by reason code, with one URL each (the first in byte order). Params: run.
    const { rows } = await this.pool.query<FailureGroup>(
      `SELECT reason, count(*) AS count, min(url COLLATE "C") AS example FROM requests
       WHERE run_id = $1 AND state = 'failed' GROUP BY reason ORDER BY count DESC, reason COLLATE "C"`,
      [runId],
    );
    return rows;
  }
}
