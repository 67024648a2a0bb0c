/**
 * Migration 17, the resource graphs' samples (issue 16, item 3), in a file of its own like 14–16.
 * Append-only like every migration: never edit it once shipped.
 */

/** Event-loop lag in each health sample; each running run's progress at each sample (`run_samples`). */
export const RESOURCE_SAMPLES_MIGRATION = {
  version: 17,
  name: "event-loop lag and run progress samples",
  sql: `
      -- The sampling process's event-loop lag over the interval before the sample (perf_hooks
      -- monitorEventLoopDelay, the timer's resolution taken off), in ms; null in samples stored
      -- before this migration or when the monitor was not running.
      ALTER TABLE health_samples ADD COLUMN lag_p99_ms REAL;
      ALTER TABLE health_samples ADD COLUMN lag_max_ms REAL;
      -- Each running run's pages (done or failed) and fetch attempts at each health sample, so a
      -- run's page draws its pages/s over time; pruned with the health samples.
      CREATE TABLE run_samples (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        pages INTEGER NOT NULL,
        requests INTEGER NOT NULL,
        PRIMARY KEY (run_id, at)
      ) WITHOUT ROWID;
      CREATE INDEX run_samples_by_time ON run_samples (at);
    `,
};
