/** The secrets vault's rows in PostgreSQL: the same `SecretStore` as sqlite-secrets.ts. */
import type pg from "pg";
import { camelRow } from "./camel-row.ts";
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

/** The secrets vault's rows in PostgreSQL (tables `vault_keys` and `secrets`). */
export class PgSecretStore implements SecretStore {
  constructor(private readonly pool: pg.Pool) {}

  async dataKey(): Promise<WrappedDataKeyRecord | undefined> {
    // Purpose: the wrapped data key of the vault (one row, id 1).
    const { rows } = await this.pool.query<DataKeyRow>(
      `SELECT wrapped, nonce, wrapped_by, created_at FROM vault_keys WHERE id = 1`,
    );
    return rows[0] && camelRow(rows[0]);
  }

  async keepDataKey(key: WrappedDataKeyRecord): Promise<WrappedDataKeyRecord> {
    // Purpose: the first data key wins; a second process creating one at once reads the first.
    await this.pool.query(
      `INSERT INTO vault_keys (id, wrapped, nonce, wrapped_by, created_at) VALUES (1, $1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING`,
      [key.wrapped, key.nonce, key.wrappedBy, key.createdAt],
    );
    return (await this.dataKey())!;
  }

  async list(): Promise<SecretInfo[]> {
    // Purpose: names and dates for `trawl secrets list`; the ciphertext is not even read.
    const { rows } = await this.pool.query<Omit<SecretRow, "nonce" | "ciphertext">>(
      `SELECT name, created_at, updated_at FROM secrets ORDER BY name COLLATE "C"`,
    );
    return rows.map((row) => camelRow(row));
  }

  async read(names?: readonly string[]): Promise<SecretRecord[]> {
    // Purpose: the ciphertexts a run decrypts when it uses them. Parameters: the names, or all.
    if (names?.length === 0) return [];
    const { rows } = await this.pool.query<SecretRow>(
      names === undefined
        ? `SELECT * FROM secrets ORDER BY name COLLATE "C"`
        : `SELECT * FROM secrets WHERE name = ANY($1::text[]) ORDER BY name COLLATE "C"`,
      names === undefined ? [] : [names],
    );
    return rows.map((row) => camelRow(row));
  }

  async put(name: string, nonce: Buffer, ciphertext: Buffer, at: number): Promise<boolean> {
    // Purpose: create or change a secret, keeping its creation date, in one statement (two
    // processes creating one name at once: one creates, the other changes). `xmax = 0`: the row
    // was inserted, not updated. Parameters: name, nonce, ciphertext, the time.
    const { rows } = await this.pool.query<{ created: boolean }>(
      `INSERT INTO secrets (name, nonce, ciphertext, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (name) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext,
         updated_at = excluded.updated_at
       RETURNING (xmax = 0) AS created`,
      [name, nonce, ciphertext, at],
    );
    return rows[0]!.created;
  }

  async remove(name: string): Promise<boolean> {
    // Purpose: `trawl secrets rm NAME`.
    return ((await this.pool.query(`DELETE FROM secrets WHERE name = $1`, [name])).rowCount ?? 0) > 0;
  }
}
