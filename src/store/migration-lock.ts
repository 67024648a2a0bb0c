/**
 * Migration 16, the app lock's tables (issue 15, items 1, 2 and 4), in a file of its own like 14
 * and 15. Append-only like every migration: never edit it once shipped.
 */
/** The PIN and attempt counter (`lock_state`), the sessions (`lock_sessions`), the API tokens (`api_tokens`). */
export const APP_LOCK_MIGRATION = {
  version: 16,
  name: "the app lock",
  sql: `
      -- One row: the PIN's argon2id PHC string (null: no PIN), the failed unlock attempts in a
      -- row and when the last was admitted (counted before the PIN is checked: a kill -9 loses
      -- none), the idle minutes after which a session ends (null: default, 0: never), and whether
      -- a server's start ends every session (PIN on start).
      CREATE TABLE lock_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pin_hash TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        last_failure_at INTEGER,
        idle_minutes INTEGER,
        pin_on_start INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO lock_state (id) VALUES (1);
      -- Unlocked sessions by the SHA-256 of their random id (the cookie holds the id itself).
      CREATE TABLE lock_sessions (
        id_hash TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        last_active_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      -- Named API tokens (trawl security token create NAME) by the SHA-256 of their value.
      CREATE TABLE api_tokens (
        name TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER
      ) WITHOUT ROWID;
    `,
};
