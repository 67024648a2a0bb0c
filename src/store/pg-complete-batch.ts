/**
 * A batch of completions in ONE statement (one round trip, its own transaction): the requests
 * still leased under their epochs are finished, their crawl records stored and their links the run
 * does not have inserted, and idle workers notified, in a chain of data-modifying CTEs. The same
 * rows, refusals and counts as the step-by-step transaction of `PgRequestQueue.completeMany`
 * (which it replaces when every completion carries its URL): that one paid seven round trips per
 * batch, the cost that capped a fleet's lease+complete operations at about 2,000/s on 2 cores.
 *
 * Every CTE sees the snapshot the statement started from: a link is new when the run did not have
 * it then; one another transaction inserts meanwhile is skipped by `ON CONFLICT`. Links are
 * inserted in their key's order, so that two batches inserting overlapping links never wait on
 * each other in opposite orders (see pg-queue.ts insertRequests); ids are drawn, for new links
 * only, in the order they were found, so that leases take them in that order, as SQLite's do.
 */
import type pg from "pg";
import { PENDING_CHANNEL } from "./pg-queue-notify.ts";
import { pgCrawlRecordOrder } from "./pg-record-keys.ts";
import type { Completion, RequestOutcome } from "./types.ts";

// Params: run, now, channel; completions (id, epoch, state, status, reason, error, records);
// records (request, order key, target, JSON data); links (request, url, page type, target, depth,
// lastmod, body type, body).
const COMPLETE_BATCH = `
WITH finished AS (
  UPDATE requests r SET state = c.state, http_status = c.status, reason = c.reason, error = c.error,
    records = c.records, lease_owner = NULL, lease_epoch = NULL, lease_expires_at = NULL, updated_at = $2
  FROM unnest($4::bigint[], $5::bigint[], $6::text[], $7::integer[], $8::text[], $9::text[], $10::integer[])
    AS c(id, epoch, state, status, reason, error, records)
  WHERE r.run_id = $1 AND r.id = c.id AND r.state = 'leased' AND (c.epoch IS NULL OR r.lease_epoch = c.epoch)
  RETURNING r.id
),
stored AS (
  INSERT INTO records (run_id, stage, ord, target, data)
  SELECT $1, 0, x.ord, x.target, x.data
  FROM unnest($11::bigint[], $12::text[], $13::text[], $14::text[]) AS x(request, ord, target, data)
  WHERE x.request IN (SELECT id FROM finished)
  ON CONFLICT (run_id, stage, ord) DO UPDATE SET target = EXCLUDED.target, data = EXCLUDED.data, source = NULL
),
candidates AS (
  SELECT n.* FROM unnest($15::bigint[], $16::text[], $17::text[], $18::text[], $19::integer[], $20::text[],
      $21::text[], $22::text[])
    WITH ORDINALITY AS n(request, url, page_type, target, depth, lastmod, body_type, body, position)
  WHERE n.request IN (SELECT id FROM finished)
    AND NOT EXISTS (SELECT 1 FROM requests q
                    WHERE q.run_id = $1 AND q.url = n.url AND q.body_type = n.body_type AND q.body = n.body)
),
numbered AS MATERIALIZED (
  SELECT nextval(pg_get_serial_sequence('requests', 'id')) AS id, o.*
  FROM (SELECT * FROM candidates ORDER BY position) o
),
inserted AS (
  INSERT INTO requests (id, run_id, url, page_type, target, depth, lastmod, body_type, body, updated_at)
  SELECT id, $1, url, page_type, target, depth, lastmod, body_type, body, $2 FROM numbered
  ORDER BY url COLLATE "C", body_type COLLATE "C", body COLLATE "C", position
  ON CONFLICT (run_id, url, body_type, body) DO NOTHING
  RETURNING id
),
notified AS (
  SELECT pg_notify($3, $1) FROM (SELECT 1 FROM inserted LIMIT 1) AS any_inserted
)
SELECT 'finished' AS kind, id AS request FROM finished
UNION ALL SELECT 'added', n.request FROM inserted i JOIN numbered n ON n.id = i.id
UNION ALL SELECT 'notified', NULL FROM notified`;

/** The values `requests` keeps of an outcome: state, HTTP status, reason, error, records. */
export function outcomeColumns(outcome: RequestOutcome, records: number): unknown[] {
  // An error may quote what was fetched, NUL and all: text cannot hold a NUL.
  return outcome.ok
    ? ["done", outcome.httpStatus, null, null, records]
    : ["failed", outcome.httpStatus ?? null, outcome.reason, outcome.error.replaceAll("\u0000", "\uFFFD"), 0];
}

/**
 * Completes a batch whose completions all carry their URL (their records' keys need it); resolves
 * to each one's count of new links, -1 where nothing was stored (a request no longer leased under
 * its epoch, or given twice: only its first completion counts).
 */
export async function completeBatch(
  pool: pg.Pool,
  runId: string,
  completions: readonly Completion[],
  now: number,
): Promise<number[]> {
  const first = new Map<number, number>();
  completions.forEach((c, index) => first.has(c.requestId) || first.set(c.requestId, index));
  const firsts = [...first.values()].sort((a, b) => a - b).map((index) => completions[index]!);
  const outcomes = firsts.map((c) => outcomeColumns(c.outcome, c.records.length));
  const records = firsts.flatMap((c) =>
    c.records.map((r, position) => [
      c.requestId,
      pgCrawlRecordOrder(c.url!, position, c.body),
      r.target,
      JSON.stringify(r.data),
    ]),
  );
  const links = firsts.flatMap((c) => c.links.map((link) => ({ request: c.requestId, link })));
  const column = <T>(rows: readonly T[], pick: (row: T) => unknown) => rows.map(pick);
  const { rows } = await pool.query<{ kind: "finished" | "added" | "notified"; request: number | null }>(
    COMPLETE_BATCH,
    [
      runId,
      now,
      PENDING_CHANNEL,
      column(firsts, (c) => c.requestId),
      column(firsts, (c) => c.epoch ?? null),
      ...[0, 1, 2, 3, 4].map((k) => column(outcomes, (o) => o[k])),
      ...[0, 1, 2, 3].map((k) => column(records, (r) => r[k])),
      column(links, (l) => l.request),
      column(links, (l) => l.link.url),
      column(links, (l) => l.link.pageType),
      column(links, (l) => l.link.target),
      column(links, (l) => l.link.depth),
      column(links, (l) => l.link.lastmod ?? null),
      column(links, (l) => l.link.body?.type ?? ""),
      column(links, (l) => l.link.body?.text ?? ""),
    ],
  );
  const finished = new Set<number>();
  const added = new Map<number, number>();
  for (const { kind, request } of rows) {
    if (kind === "finished") finished.add(request!);
    if (kind === "added") added.set(request!, (added.get(request!) ?? 0) + 1);
  }
  return completions.map((c, index) =>
    first.get(c.requestId) === index && finished.has(c.requestId) ? (added.get(c.requestId) ?? 0) : -1,
  );
}
