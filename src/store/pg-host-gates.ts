/**
 * Politeness shared across the processes of one run, in PostgreSQL (migration 8): a host's next
 * free send time and block per run (`host_gates`), and the run's robots.txt per origin
 * (`host_robots`). Every time is the database's clock (`now()`, ms since the epoch).
 */
import type pg from "pg";
import type { HostGateStore, KeptRobotsFile, RobotsClaim } from "./host-gate-types.ts";
import { PgNotifications } from "./pg-queue-notify.ts";

/** The channel of host blocks: the payload is the run's id, the block's ms left and the host. */
const BLOCK_CHANNEL = "trawl_host_blocks";

/** The database's clock in milliseconds since the epoch (the statement's start). */
const NOW_MS = `(extract(epoch FROM now()) * 1000)::double precision`;

interface RobotsRow {
  claimed: number;
  status: number | null;
  body: string | null;
  failed: string | null;
}

/** The shared host gates of PostgreSQL (tables `host_gates`, `host_robots`). */
export class PgHostGateStore implements HostGateStore {
  private readonly blocks: PgNotifications;

  constructor(private readonly pool: pg.Pool) {
    this.blocks = new PgNotifications(pool, BLOCK_CHANNEL);
  }

  async reserve(runId: string, host: string, spanMs: number): Promise<number> {
    // Purpose: the one round trip before a request (or a batch) to a host: the row lock of the
    // upsert orders the processes of the run, each span starting where the last one ended.
    const { rows } = await this.pool.query<{ wait: number }>(
      `INSERT INTO host_gates AS g (run_id, host, next_at, blocked_until)
       VALUES ($1, $2, ${NOW_MS} + $3, 0)
       ON CONFLICT (run_id, host) DO UPDATE
         SET next_at = GREATEST(g.next_at, g.blocked_until, ${NOW_MS}) + $3
       RETURNING next_at - $3 - ${NOW_MS} AS wait`,
      [runId, host, spanMs],
    );
    return Math.max(0, rows[0]!.wait);
  }

  async block(runId: string, host: string, ms: number): Promise<void> {
    // Purpose: a `Retry-After` one process got holds every process of the run back: later
    // reservations start after it, and watching processes hear it at once.
    await this.pool.query(
      `WITH gate AS (
         INSERT INTO host_gates AS g (run_id, host, next_at, blocked_until)
         VALUES ($1, $2, 0, ${NOW_MS} + $3)
         ON CONFLICT (run_id, host) DO UPDATE
           SET blocked_until = GREATEST(g.blocked_until, EXCLUDED.blocked_until)
         RETURNING blocked_until
       )
       SELECT pg_notify($4, $1 || ' ' || round(blocked_until - ${NOW_MS})::bigint || ' ' || $2) FROM gate`,
      [runId, host, ms, BLOCK_CHANNEL],
    );
  }

  watchBlocks(listener: (runId: string, host: string, ms: number) => void): () => void {
    return this.blocks.watch((payload) => {
      const [runId = "", ms = "", host = ""] = payload.split(" ");
      listener(runId, host, Number(ms));
    });
  }

  async robots(runId: string, origin: string, claimMs: number): Promise<RobotsClaim> {
    // Purpose: the first process to ask claims the fetch (a row without status); a claim past
    // its time is taken over. The outer SELECT sees the row as it was before this statement.
    const { rows } = await this.pool.query<RobotsRow>(
      `WITH claim AS (
         INSERT INTO host_robots AS r (run_id, origin, claimed_until)
         VALUES ($1, $2, ${NOW_MS} + $3)
         ON CONFLICT (run_id, origin) DO UPDATE SET claimed_until = EXCLUDED.claimed_until
           WHERE r.status IS NULL AND r.failed IS NULL AND r.claimed_until < ${NOW_MS}
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM claim)::integer AS claimed, r.status, r.body, r.failed
       FROM (SELECT 1) AS one LEFT JOIN host_robots r ON r.run_id = $1 AND r.origin = $2`,
      [runId, origin, claimMs],
    );
    const row = rows[0]!;
    if (row.claimed > 0) return "fetch";
    if (row.failed !== null) return { file: { failed: row.failed } };
    if (row.status !== null) return { file: { status: row.status, body: row.body ?? "" } };
    return "wait";
  }

  async keepRobots(runId: string, origin: string, file: KeptRobotsFile): Promise<void> {
    // Purpose: the claimant hands the file to the run's other processes.
    const [status, body, failed] =
      "failed" in file ? [null, null, file.failed] : [file.status, file.body, null];
    await this.pool.query(
      `INSERT INTO host_robots AS r (run_id, origin, status, body, failed, fetched_at)
       VALUES ($1, $2, $3, $4, $5, ${NOW_MS})
       ON CONFLICT (run_id, origin) DO UPDATE SET status = EXCLUDED.status, body = EXCLUDED.body,
         failed = EXCLUDED.failed, fetched_at = EXCLUDED.fetched_at, claimed_until = NULL`,
      [runId, origin, status, body, failed],
    );
  }

  async releaseRobots(runId: string, origin: string): Promise<void> {
    // Purpose: a claimant that could not fetch (closing) lets the next process claim at once.
    await this.pool.query(
      `DELETE FROM host_robots WHERE run_id = $1 AND origin = $2 AND status IS NULL AND failed IS NULL`,
      [runId, origin],
    );
  }
}
