/**
 * Append-only schema migrations: never edit a shipped entry, add a new one. Each runs in its own
 * transaction; the database is backed up before the first pending one runs.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "runs, request queue, records, steps, logs",
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        scraper TEXT NOT NULL,
        source TEXT,
        definition_hash TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        updated_at INTEGER NOT NULL,
        error TEXT,
        owner TEXT,
        heartbeat_at INTEGER,
        control TEXT,
        pause_reason TEXT,
        breakpoints TEXT NOT NULL DEFAULT '[]',
        targets TEXT NOT NULL DEFAULT '[]',
        steps TEXT NOT NULL DEFAULT '[]',
        stats TEXT NOT NULL DEFAULT '{}',
        dataset_name TEXT,
        dataset_version INTEGER
      );
      CREATE INDEX runs_by_scraper ON runs (scraper, id);
      CREATE INDEX runs_by_status ON runs (status, id);

      CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        page_type TEXT NOT NULL,
        target TEXT NOT NULL,
        depth INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        lease_owner TEXT,
        http_status INTEGER,
        reason TEXT,
        error TEXT,
        records INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL,
        UNIQUE (run_id, url)
      );
      -- Only pending requests are looked up by state (to lease them): a partial index is not
      -- touched when a leased request finishes.
      CREATE INDEX requests_pending ON requests (run_id, id) WHERE state = 'pending';

      CREATE TABLE records (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        stage INTEGER NOT NULL,
        ord TEXT NOT NULL,
        target TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (run_id, stage, ord)
      ) WITHOUT ROWID;

      CREATE TABLE steps (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        started_at INTEGER,
        finished_at INTEGER,
        records_out INTEGER,
        result TEXT,
        PRIMARY KEY (run_id, idx)
      );

      CREATE TABLE logs (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        level TEXT NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX logs_by_run ON logs (run_id, id);
    `,
  },
];
