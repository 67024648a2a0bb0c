/**
 * Migration 15, the secrets vault's tables, in a file of its own: migrations.ts is at its size
 * limit (a `Migration`, typed where the list holds it: importing the type back would be a cycle).
 * Append-only like every migration: never edit it once shipped.
 */
/** The wrapped data key (`vault_keys`) and the encrypted secrets (`secrets`). */
export const SECRETS_VAULT_MIGRATION = {
  version: 15,
  name: "the secrets vault",
  sql: `
      -- The vault's data key (random, 256 bits), encrypted (AES-256-GCM) by the master key:
      -- TRAWL_MASTER_KEY or the key file keys/master.key. One row: the first process to need it
      -- makes it. wrapped holds the ciphertext and its tag; wrapped_by says which key wrapped it.
      CREATE TABLE vault_keys (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        wrapped BLOB NOT NULL,
        nonce BLOB NOT NULL,
        wrapped_by TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      -- Secrets, each encrypted (AES-256-GCM) under the data key with a fresh nonce and its name
      -- as associated data: a ciphertext copied to another name fails to decrypt.
      CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        nonce BLOB NOT NULL,
        ciphertext BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
};
