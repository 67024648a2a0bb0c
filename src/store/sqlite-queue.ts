import type { Statement } from "better-sqlite3";
import { InternalError, type RequestBody } from "../core/index.ts";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import { requestBodyDigest } from "./record-source.ts";
import type {
  Completion,
  FailureGroup,
  NewRequest,
  QueuedRequest,
  RequestOutcome,
  RequestQueue,
  TargetCounts,
} from "./types.ts";

/**
 * Sort key of the n-th record of a page: keeps crawl output in a stable order whatever the timing.
 * The URL comes first, up to a NUL (a record's source page is read from there); a POST's records
 * then carry a digest of its body, so that two POSTs to one URL keep their records apart.
 */
export function crawlRecordOrder(url: string, index: number, body?: RequestBody): string {
  const position = String(index).padStart(6, "0");
  if (!body) return `${url}\u0000${position}`;
  return `${url}\u0000${requestBodyDigest(body)}\u0000${position}`;
}

/** A request row as leased or looked up: a GET has '' as its body type. */
interface RequestRow extends Omit<QueuedRequest, "body"> {
  bodyType: "" | RequestBody["type"];
  body: string;
}

/** The request of a row: its body only when it is a POST. */
function requestOf({ bodyType, body, ...request }: RequestRow): QueuedRequest {
  return bodyType === "" ? request : { ...request, body: { type: bodyType, text: body } };
}

/** The request queue of each run, in SQLite. */
export class SqliteRequestQueue implements RequestQueue {
  /** Only the process that claimed a run leases from it: its leases need no deadline. */
  readonly shared = false;
  private insertStatement: Statement | undefined;
  private leaseStatement: Statement | undefined;
  private readonly insertRecord;
  private readonly finish;
  private urlOfStatement: Statement | undefined;

  constructor(private readonly db: SqliteDatabase) {
    // Purpose: store one crawl-stage record. Params: run, order key, target, JSON data.
    this.insertRecord = db.prepare(
      `INSERT OR REPLACE INTO records (run_id, stage, ord, target, data) VALUES (?, 0, ?, ?, ?)`,
    );
    // Purpose: finish a leased request. Params: state, status, reason, error, records, now, run, id.
    this.finish = db.prepare(
      `UPDATE requests SET state = ?, http_status = ?, reason = ?, error = ?, records = ?, lease_owner = NULL, updated_at = ?
       WHERE run_id = ? AND id = ? AND state = 'leased'`,
    );
  }

  // Prepared on first use: they name `requests.lastmod` (migration 10) and `body` (11), which a
  // store opened with older migrations only (a test writing an old database) does not have.
  private get insert(): Statement {
    // Purpose: add a request unless the run already has it (its URL and body). Params: run, url,
    // page type, target, depth, lastmod, body type ('' for a GET), body ('' for a GET), now.
    return (this.insertStatement ??= this.db.prepare(
      `INSERT OR IGNORE INTO requests (run_id, url, page_type, target, depth, lastmod, body_type, body, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ));
  }

  private get urlOf(): Statement {
    // Purpose: the URL and body of a request (records are ordered by them). Params: run, id.
    return (this.urlOfStatement ??= this.db.prepare(
      `SELECT id, url, page_type AS pageType, target, depth, lastmod, body_type AS bodyType, body FROM requests WHERE run_id = ? AND id = ?`,
    ));
  }

  private get leaseOldest(): Statement {
    // Purpose: lease the oldest pending requests of a run in one statement. Params: owner, now, run, limit.
    // The outer WHERE names only the ids: with `run_id = ?` there too, SQLite scans the run's whole
    // state index per lease, which made a crawl quadratic.
    return (this.leaseStatement ??= this.db.prepare(
      `UPDATE requests SET state = 'leased', lease_owner = ?, updated_at = ?
       WHERE id IN (SELECT id FROM requests WHERE run_id = ? AND state = 'pending' ORDER BY id LIMIT ?)
       RETURNING id, url, page_type AS pageType, target, depth, lastmod, body_type AS bodyType, body`,
    ));
  }

  async enqueue(runId: string, requests: NewRequest[], now: number): Promise<number> {
    return writeTransaction(this.db, () => this.insertAll(runId, requests, now));
  }

  private insertAll(runId: string, requests: NewRequest[], now: number): number {
    let added = 0;
    for (const r of requests) {
      const { type = "", text = "" } = r.body ?? {};
      added += this.insert.run(
        runId,
        r.url,
        r.pageType,
        r.target,
        r.depth,
        r.lastmod ?? null,
        type,
        text,
        now,
      ).changes;
    }
    return added;
  }

  async lease(runId: string, owner: string, limit: number, now: number): Promise<QueuedRequest[]> {
    return writeTransaction(this.db, () =>
      (this.leaseOldest.all(owner, now, runId, limit) as RequestRow[])
        .map(requestOf)
        .sort((a, b) => a.id - b.id),
    );
  }

  async reclaim(runId: string, now: number): Promise<number> {
    // Purpose: after a crash or stop, every leased request goes back to pending.
    return writeTransaction(
      this.db,
      () =>
        this.db
          .prepare(
            `UPDATE requests SET state = 'pending', lease_owner = NULL, updated_at = ? WHERE run_id = ? AND state = 'leased'`,
          )
          .run(now, runId).changes,
    );
  }

  async renew(): Promise<number> {
    return 0;
  }

  async unfinished(runId: string): Promise<boolean> {
    // Purpose: whether the run's crawl still has requests to finish. Params: run.
    const row = this.db
      .prepare(`SELECT 1 FROM requests WHERE run_id = ? AND state IN ('pending', 'leased') LIMIT 1`)
      .get(runId);
    return row !== undefined;
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
    return writeTransaction(this.db, () => completions.map((c) => this.completeOne(runId, c, now)));
  }

  private completeOne(
    runId: string,
    { requestId, url: knownUrl, body: knownBody, outcome, records, links }: Completion,
    now: number,
  ): number {
    const row =
      knownUrl === undefined ? (this.urlOf.get(runId, requestId) as RequestRow | undefined) : undefined;
    const known = row
      ? requestOf(row)
      : knownUrl === undefined
        ? undefined
        : { url: knownUrl, body: knownBody };
    if (known === undefined) throw new InternalError(`request ${requestId} of run ${runId} does not exist`);
    const { url, body } = known;
    const changed = outcome.ok
      ? this.finish.run("done", outcome.httpStatus, null, null, records.length, now, runId, requestId)
      : this.finish.run(
          "failed",
          outcome.httpStatus ?? null,
          outcome.reason,
          outcome.error,
          0,
          now,
          runId,
          requestId,
        );
    // Not leased any more: a cancelled or reclaimed lease; storing now would duplicate work.
    if (changed.changes === 0) return -1;
    records.forEach((record, index) =>
      this.insertRecord.run(
        runId,
        crawlRecordOrder(url, index, body),
        record.target,
        JSON.stringify(record.data),
      ),
    );
    return this.insertAll(runId, links, now);
  }

  async release(runId: string, requestIds: number[], now: number): Promise<void> {
    // Purpose: give leased requests back without finishing them.
    const stmt = this.db.prepare(
      `UPDATE requests SET state = 'pending', lease_owner = NULL, updated_at = ? WHERE run_id = ? AND id = ? AND state = 'leased'`,
    );
    writeTransaction(this.db, () => requestIds.forEach((id) => stmt.run(now, runId, id)));
  }

  async counts(runId: string): Promise<TargetCounts[]> {
    // Purpose: per-target progress counters.
    return this.db
      .prepare(
        `SELECT target,
                SUM(state = 'pending') AS pending, SUM(state = 'leased') AS leased,
                SUM(state = 'done') AS done, SUM(state = 'failed') AS failed, SUM(records) AS records
         FROM requests WHERE run_id = ? GROUP BY target`,
      )
      .all(runId) as TargetCounts[];
  }

  async failures(runId: string): Promise<FailureGroup[]> {
    // Purpose: errors grouped by reason code, with one URL each.
    return this.db
      .prepare(
        `SELECT reason, COUNT(*) AS count, MIN(url) AS example FROM requests
         WHERE run_id = ? AND state = 'failed' GROUP BY reason ORDER BY count DESC`,
      )
      .all(runId) as FailureGroup[];
  }
}
