/**
 * Migration 14, the audit log's table, in a file of its own: migrations.ts is at its size limit
 * (a `Migration`, typed where the list holds it: importing the type back would be a cycle).
 * Append-only like every migration: never edit it once shipped.
 */

/** The append-only, hash-chained audit log (`audit_log`) and the triggers that refuse edits. */
export const AUDIT_LOG_MIGRATION = {
  version: 14,
  name: "the audit log",
  sql: `
      -- Append-only, hash-chained: each entry holds the SHA-256 of the previous entry (prev_hash)
      -- and of its own content with it (hash). Triggers refuse UPDATE and DELETE.
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        actor_name TEXT,
        action TEXT NOT NULL,
        subject TEXT,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `,
};
