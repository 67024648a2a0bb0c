/**
 * Migration 18, the fleet's reports (issue 17, item 7), in a file of its own like 14–17.
 * Append-only like every migration: never edit it once shipped.
 */

/** The `workers` table: each process executing runs, as it last reported itself. */
export const WORKERS_MIGRATION = {
  version: 18,
  name: "the processes executing runs (the fleet)",
  sql: `
      -- One row per process that executes runs (trawl worker, run, resume, serve, scheduler),
      -- replaced on each of its heartbeats and removed when it exits cleanly; a killed one's row
      -- stays until pruned by age. runs is a JSON list of run ids.
      CREATE TABLE workers (
        id TEXT PRIMARY KEY,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        kind TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        runs TEXT NOT NULL DEFAULT '[]',
        leases INTEGER NOT NULL DEFAULT 0,
        pages_per_second REAL NOT NULL DEFAULT 0,
        concurrency INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX workers_by_heartbeat ON workers (heartbeat_at);
    `,
};
