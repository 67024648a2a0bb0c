import { camelRow } from "./camel-row.ts";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import type { SecretInfo, SecretRecord, SecretStore, WrappedDataKeyRecord } from "./secret-types.ts";

interface DataKeyRow {
  wrapped: Buffer;
  nonce: Buffer;
  wrapped_by: string;
  created_at: number;
}

interface SecretRow {
  name: string;
  nonce: Buffer;
  ciphertext: Buffer;
  created_at: number;
  updated_at: number;
}

/** The secrets vault's rows in SQLite (tables `vault_keys` and `secrets`, migration 15). */
export class SqliteSecretStore implements SecretStore {
  constructor(private readonly db: SqliteDatabase) {}

  async dataKey(): Promise<WrappedDataKeyRecord | undefined> {
    // Purpose: the wrapped data key of the vault (one row, id 1).
    const row = this.db
      .prepare(`SELECT wrapped, nonce, wrapped_by, created_at FROM vault_keys WHERE id = 1`)
      .get() as DataKeyRow | undefined;
    return row && camelRow(row);
  }

  async keepDataKey(key: WrappedDataKeyRecord): Promise<WrappedDataKeyRecord> {
    // Purpose: the first data key wins; a second process creating one at once reads the first.
    writeTransaction(this.db, () =>
      this.db
        .prepare(
          `INSERT OR IGNORE INTO vault_keys (id, wrapped, nonce, wrapped_by, created_at) VALUES (1, ?, ?, ?, ?)`,
        )
        .run(key.wrapped, key.nonce, key.wrappedBy, key.createdAt),
    );
    return (await this.dataKey())!;
  }

  async list(): Promise<SecretInfo[]> {
    // Purpose: names and dates for `trawl secrets list`; the ciphertext is not even read.
    const rows = this.db
      .prepare(`SELECT name, created_at, updated_at FROM secrets ORDER BY name`)
      .all() as Omit<SecretRow, "nonce" | "ciphertext">[];
    return rows.map((row) => camelRow(row));
  }

  async read(names?: readonly string[]): Promise<SecretRecord[]> {
    // Purpose: the ciphertexts a run decrypts when it uses them. Parameters: the names, or all.
    const rows = (
      names === undefined
        ? this.db.prepare(`SELECT * FROM secrets ORDER BY name`).all()
        : names.length === 0
          ? []
          : this.db
              .prepare(
                `SELECT * FROM secrets WHERE name IN (${names.map(() => "?").join(", ")}) ORDER BY name`,
              )
              .all(...names)
    ) as SecretRow[];
    return rows.map((row) => camelRow(row));
  }

  async put(name: string, nonce: Buffer, ciphertext: Buffer, at: number): Promise<boolean> {
    // Purpose: create or change a secret, keeping its creation date. Parameters: name, nonce,
    // ciphertext, the time.
    return writeTransaction(this.db, () => {
      const changed = this.db
        .prepare(`UPDATE secrets SET nonce = ?, ciphertext = ?, updated_at = ? WHERE name = ?`)
        .run(nonce, ciphertext, at, name).changes;
      if (changed > 0) return false;
      this.db
        .prepare(
          `INSERT INTO secrets (name, nonce, ciphertext, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(name, nonce, ciphertext, at, at);
      return true;
    });
  }

  async remove(name: string): Promise<boolean> {
    // Purpose: `trawl secrets rm NAME`.
    return writeTransaction(
      this.db,
      () => this.db.prepare(`DELETE FROM secrets WHERE name = ?`).run(name).changes > 0,
    );
  }
}
