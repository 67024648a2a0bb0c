/**
 * The PostgreSQL store's migrations, append-only: a database that applied a migration keeps it,
 * so a change is a new entry, never an edit. Each has its number and name; `trawl_migrations`
 * in the database says which ran (see pg-database.ts).
 */
import { PG_SCHEMA_V1 } from "./pg-schema.ts";

/** One migration: its number (1, 2, …, in order), a name, and its SQL. */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const pgMigrations: readonly PgMigration[] = [
  { version: 1, name: "the schema of SQLite migrations 1 to 17", sql: PG_SCHEMA_V1 },
  {
    version: 2,
    name: "runs indexed by id in bytewise order",
    // Runs are listed and paged by id COLLATE "C" (SQLite's order): indexes in the database's
    // collation cannot serve that order, so each one listing uses gets a "C" twin.
    sql: `
      CREATE INDEX runs_by_id ON runs (id COLLATE "C");
      DROP INDEX runs_by_scraper;
      CREATE INDEX runs_by_scraper ON runs (scraper, id COLLATE "C");
      DROP INDEX runs_by_status;
      CREATE INDEX runs_by_status ON runs (status, id COLLATE "C");
    `,
  },
  {
    version: 5,
    name: "the rows SQLite's migrations make with their tables",
    // SQLite's migration 16 makes the app lock's one state row and migration 2 the schedules'
    // counter: the PostgreSQL stores expect them too (see pg-lock.ts, pg-schedules.ts).
    sql: `
      INSERT INTO lock_state (id) VALUES (1) ON CONFLICT DO NOTHING;
      INSERT INTO counters (name, value) VALUES ('schedules', 0) ON CONFLICT DO NOTHING;
    `,
  },
  {
    version: 6,
    name: "leases with an epoch and a deadline",
    // Several processes lease from one run (pg-queue.ts): each lease gets a number never given
    // before, so a completion of a lease that expired and was given to another process is
    // refused, and a deadline its holder's heartbeat keeps pushing back; past it, the request
    // goes back to the queue.
    sql: `
      CREATE SEQUENCE lease_epochs;
      ALTER TABLE requests ADD COLUMN lease_epoch bigint, ADD COLUMN lease_expires_at bigint;
      CREATE INDEX requests_leased ON requests (run_id, lease_owner) WHERE state = 'leased';
    `,
  },
  {
    version: 7,
    name: "the processes executing runs (the fleet)",
    // SQLite's migration 18 (migration-workers.ts): each process executing runs reports itself on
    // its heartbeat (pg-workers.ts); runs is a JSON list of run ids.
    sql: `
      CREATE TABLE workers (
        id text PRIMARY KEY,
        host text NOT NULL,
        pid integer NOT NULL,
        kind text NOT NULL,
        started_at bigint NOT NULL,
        heartbeat_at bigint NOT NULL,
        runs text NOT NULL DEFAULT '[]',
        leases integer NOT NULL DEFAULT 0,
        pages_per_second double precision NOT NULL DEFAULT 0,
        concurrency integer NOT NULL DEFAULT 0
      );
      CREATE INDEX workers_by_heartbeat ON workers (heartbeat_at);
    `,
  },
  {
    version: 8,
    name: "politeness shared by the processes of a run",
    // Workers on several machines crawl one run (pg-host-gates.ts): a host's next free send time
    // and its Retry-After block per run, and the run's robots.txt per origin (status and body, or
    // why it failed; a row without either is a claimed fetch under way). Times: the database's ms.
    sql: `
      CREATE TABLE host_gates (
        run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        host text NOT NULL,
        next_at double precision NOT NULL,
        blocked_until double precision NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, host)
      );
      CREATE TABLE host_robots (
        run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        origin text NOT NULL,
        status integer,
        body text,
        failed text,
        claimed_until double precision,
        fetched_at double precision,
        PRIMARY KEY (run_id, origin)
      );
    `,
  },
  {
    version: 9,
    name: "recorded blobs and dataset versions in the database",
    // Every machine on the database reads any recording and any dataset version (pg-blobs.ts,
    // pg-dataset-files.ts). Blobs are gzip'd already: PostgreSQL need not try compressing them.
    sql: `
      CREATE TABLE blobs (sha256 text PRIMARY KEY, size bigint NOT NULL, data bytea NOT NULL);
      ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTERNAL;
      CREATE TABLE dataset_versions (
        dataset text NOT NULL,
        version integer NOT NULL,
        manifest text NOT NULL,
        PRIMARY KEY (dataset, version)
      );
      CREATE TABLE dataset_files (
        dataset text NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        chunk integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (dataset, version, name, chunk),
        FOREIGN KEY (dataset, version) REFERENCES dataset_versions (dataset, version) ON DELETE CASCADE
      );
    `,
  },
  {
    version: 10,
    name: "the fetch statistics of each worker's share of a run",
    // A run's fetch statistics count every process's requests: a worker keeps its own here
    // (pg-run-store.ts), the run's summary adds them to its coordinator's.
    sql: `
      CREATE TABLE run_share_stats (
        run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        worker text NOT NULL,
        stats text NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (run_id, worker)
      );
    `,
  },
];
