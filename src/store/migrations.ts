/**
 * Append-only schema migrations: never edit a shipped entry, add a new one. Each runs in its own
 * transaction; the database is backed up before the first pending one runs.
 */
import { AUDIT_LOG_MIGRATION } from "./migration-audit.ts";
import { SECRETS_VAULT_MIGRATION } from "./migration-secrets.ts";
import { APP_LOCK_MIGRATION } from "./migration-lock.ts";
import { RESOURCE_SAMPLES_MIGRATION } from "./migration-resources.ts";
import { WORKERS_MIGRATION } from "./migration-workers.ts";

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
  {
    version: 2,
    name: "schedules, their occurrences, scheduler processes",
    sql: `
      CREATE TABLE schedules (
        id TEXT PRIMARY KEY,
        scraper TEXT NOT NULL,
        source TEXT NOT NULL,
        timing TEXT NOT NULL,
        catch_up TEXT NOT NULL,
        grace_ms INTEGER NOT NULL,
        overlap TEXT NOT NULL,
        max_failures INTEGER NOT NULL,
        retries INTEGER NOT NULL,
        jitter_ms INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'active',
        paused_reason TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        cursor INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      -- One row per occurrence and attempt: the primary key is the claim that keeps two
      -- schedulers from firing the same occurrence.
      CREATE TABLE schedule_occurrences (
        schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
        due_at INTEGER NOT NULL,
        attempt INTEGER NOT NULL DEFAULT 0,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        run_id TEXT,
        start_after INTEGER NOT NULL,
        claimed_by TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        PRIMARY KEY (schedule_id, due_at, attempt)
      );
      CREATE INDEX occurrences_open ON schedule_occurrences (status, start_after)
        WHERE status IN ('waiting', 'running');
      CREATE INDEX occurrences_by_time ON schedule_occurrences (created_at);

      CREATE TABLE scheduler_processes (
        owner TEXT PRIMARY KEY,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        checked_at INTEGER,
        schedules_checked INTEGER NOT NULL DEFAULT 0,
        runs_started INTEGER NOT NULL DEFAULT 0,
        next_due_at INTEGER
      );

      -- The leader lease: at most one row, held by the scheduler that fires occurrences.
      CREATE TABLE scheduler_leader (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        owner TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );

      -- Bumped by every change to a schedule, so a scheduler notices changes made elsewhere.
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO counters (name, value) VALUES ('schedules', 0);
    `,
  },
  {
    version: 3,
    name: "run options, captures (recorded responses, actions, screenshots)",
    sql: `
      -- How a run was asked to run (record, replay source); JSON, kept across resumes.
      ALTER TABLE runs ADD COLUMN options TEXT NOT NULL DEFAULT '{}';

      -- What a run captured: the pages it parsed, browser network responses, actions, screenshots.
      -- Bodies and images live in the blob store, named by their SHA-256.
      CREATE TABLE captures (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        url TEXT,
        detail TEXT NOT NULL,
        blob TEXT,
        size INTEGER
      );
      CREATE INDEX captures_by_run ON captures (run_id, kind, id);
      CREATE INDEX captures_by_url ON captures (run_id, url, kind, id);
    `,
  },
  {
    version: 4,
    name: "stages that hold the same records as an earlier one",
    sql: `
      -- A step that passed every record of its input through unchanged stores no copy: its stage
      -- reads the records of stage same_as (always a stored stage, never another alias).
      CREATE TABLE stage_aliases (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        stage INTEGER NOT NULL,
        same_as INTEGER NOT NULL,
        PRIMARY KEY (run_id, stage)
      );
    `,
  },
  {
    version: 5,
    name: "the page a step's record came from",
    sql: `
      -- The URL of the request whose page produced a record of a step's stage (NULL: unknown, or
      -- a crawl row, whose order key begins with that URL).
      ALTER TABLE records ADD COLUMN source TEXT;
    `,
  },
  {
    version: 6,
    name: "the record key of a run",
    sql: `
      -- The fields identifying a record across runs (JSON list), fixed when the run is created:
      -- the definition's key: or its last dedupe key. NULL: none (records compare by position).
      ALTER TABLE runs ADD COLUMN record_key TEXT;
    `,
  },
  {
    version: 7,
    name: "health samples; indexes of the activity feed and recent errors",
    sql: `
      -- What a process measured every few seconds (itself, its machine, the runs), kept 24 hours.
      -- One series per role ('serve', later the scheduler daemon): only the process holding the
      -- role's lease in health_samplers writes it, so two servers on one database never interleave.
      CREATE TABLE health_samples (
        role TEXT NOT NULL,
        at INTEGER NOT NULL,
        process TEXT NOT NULL,
        rss INTEGER NOT NULL,
        heap_used INTEGER NOT NULL,
        cpu_percent REAL NOT NULL,
        load1 REAL NOT NULL,
        load5 REAL NOT NULL,
        load15 REAL NOT NULL,
        memory_total INTEGER NOT NULL,
        memory_free INTEGER NOT NULL,
        disk_total INTEGER,
        disk_free INTEGER,
        active_runs INTEGER NOT NULL,
        queued_runs INTEGER NOT NULL,
        requests_per_second REAL NOT NULL,
        PRIMARY KEY (role, at)
      ) WITHOUT ROWID;
      CREATE INDEX health_samples_by_time ON health_samples (at);

      -- The sampler lease of each role: at most one row per role.
      CREATE TABLE health_samplers (
        role TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );

      -- The activity feed is derived from runs and occurrences (see sqlite-activity.ts): these
      -- let it read the newest of each kind without sorting whole tables.
      CREATE INDEX runs_by_start ON runs (started_at) WHERE started_at IS NOT NULL;
      CREATE INDEX runs_by_finish ON runs (finished_at) WHERE finished_at IS NOT NULL;
      CREATE INDEX occurrences_by_activity ON schedule_occurrences (COALESCE(started_at, created_at));
      -- Recent errors list runs by when they ended (or last changed, while they run).
      CREATE INDEX runs_by_change ON runs (COALESCE(finished_at, updated_at));
      -- Recent errors look up runs' failed requests; only failed rows are indexed, so a crawl's
      -- successful requests cost nothing more to write.
      CREATE INDEX requests_failed ON requests (run_id, reason, url) WHERE state = 'failed';
    `,
  },
  {
    version: 8,
    name: "sort indexes of large stages, built when first sorted",
    sql: `
      -- A partial index on one field of one stored stage (records_sort_<hash>), made when a large
      -- stage is first sorted by that field (sqlite-sort-indexes.ts). Listed here so that clearing
      -- the stage drops it and the oldest are dropped beyond a few.
      CREATE TABLE record_sort_indexes (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        run_id TEXT NOT NULL,
        stage INTEGER NOT NULL,
        field TEXT NOT NULL
      );
      CREATE INDEX record_sort_indexes_by_stage ON record_sort_indexes (run_id, stage);
    `,
  },
  {
    version: 9,
    name: "no ended run keeps a running step",
    sql: `
      -- Until now a run that failed, was cancelled, stopped or interrupted left its current step
      -- 'running' and later ones 'pending'. Give them the states the engine now sets with the
      -- run's status (engine/transitions.ts, STEPS_ON_STATUS).
      UPDATE steps SET status = 'paused'
        WHERE status = 'running' AND run_id IN (SELECT id FROM runs WHERE status IN ('paused', 'interrupted'));
      UPDATE steps SET status = 'failed'
        WHERE status = 'running' AND run_id IN (SELECT id FROM runs WHERE status = 'failed');
      UPDATE steps SET status = 'cancelled'
        WHERE status = 'running' AND run_id IN (SELECT id FROM runs WHERE status = 'cancelled');
      UPDATE steps SET status = 'skipped'
        WHERE status = 'pending' AND run_id IN (SELECT id FROM runs WHERE status IN ('failed', 'cancelled'));
    `,
  },
  {
    version: 10,
    name: "requests keep a sitemap's lastmod",
    sql: `
      -- A page listed by a sitemap is queued with the <lastmod> the sitemap gave it (a field reads
      -- it with from: lastmod), so a resumed crawl still has it.
      ALTER TABLE requests ADD COLUMN lastmod TEXT;
    `,
  },
  {
    version: 11,
    name: "a request is its URL and its POST body",
    sql: `
      -- POSTs to one URL with different bodies (a search form, a JSON API) are different requests:
      -- the queue's unique key, which dedupes requests and lets a resume re-offer its start
      -- requests, becomes (run, URL, body type, body); a GET has '' for both. SQLite cannot change
      -- a table's UNIQUE constraint: the table is rebuilt (no table references requests).
      CREATE TABLE requests_v11 (
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
        lastmod TEXT,
        body_type TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        UNIQUE (run_id, url, body_type, body)
      );
      INSERT INTO requests_v11 (id, run_id, url, page_type, target, depth, state, lease_owner,
          http_status, reason, error, records, updated_at, lastmod)
        SELECT id, run_id, url, page_type, target, depth, state, lease_owner,
          http_status, reason, error, records, updated_at, lastmod FROM requests;
      DROP TABLE requests;
      ALTER TABLE requests_v11 RENAME TO requests;
      CREATE INDEX requests_pending ON requests (run_id, id) WHERE state = 'pending';
      CREATE INDEX requests_failed ON requests (run_id, reason, url) WHERE state = 'failed';
    `,
  },
  {
    version: 12,
    name: "validators of revisited pages",
    sql: `
      -- cache: revalidate keeps, per scraper and URL, the last 200 response's validators and its
      -- body (a blob of the blob store, by SHA-256): the next run asks with If-None-Match /
      -- If-Modified-Since and reuses the body on a 304. Kept across runs, so not tied to one.
      CREATE TABLE page_validators (
        scraper TEXT NOT NULL,
        url TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        final_url TEXT NOT NULL,
        headers TEXT NOT NULL,
        body_sha256 TEXT NOT NULL,
        stored_at INTEGER NOT NULL,
        PRIMARY KEY (scraper, url)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 13,
    name: "extractions of revisited pages",
    sql: `
      -- What a page kept by cache: revalidate yielded (records, links), under the key of what it
      -- was extracted with (definition, trawl version, the page's inputs, its body's SHA-256): a
      -- 304 under the same key reuses it without parsing. One per scraper and URL, replaced when
      -- the key changes. Not in page_validators: big rows slow a WITHOUT ROWID table down.
      CREATE TABLE page_extractions (
        scraper TEXT NOT NULL,
        url TEXT NOT NULL,
        key TEXT NOT NULL,
        extraction TEXT NOT NULL,
        PRIMARY KEY (scraper, url)
      );
    `,
  },
  AUDIT_LOG_MIGRATION,
  SECRETS_VAULT_MIGRATION,
  APP_LOCK_MIGRATION,
  RESOURCE_SAMPLES_MIGRATION,
  WORKERS_MIGRATION,
];
