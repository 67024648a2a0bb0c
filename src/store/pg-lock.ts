/**
 * The app lock's rows in PostgreSQL: the same `LockStore` as sqlite-lock.ts. The state's one row
 * is made by PostgreSQL migration 5, as SQLite's migration 16 makes it.
 */
import type pg from "pg";
import { camelRow } from "./camel-row.ts";
import { pgTransaction, type PgQueryable } from "./pg-database.ts";
import type { ApiTokenRecord, LockSessionRecord, LockState, LockStore } from "./lock-types.ts";

interface StateRow {
  pin_hash: string | null;
  failures: number;
  last_failure_at: number | null;
  idle_minutes: number | null;
  pin_on_start: number;
}

interface TokenRow {
  name: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
}

async function readState(client: PgQueryable, forUpdate = false): Promise<LockState> {
  // Purpose: the lock's one row; `forUpdate` holds it until the transaction ends.
  const { rows } = await client.query<StateRow>(
    `SELECT pin_hash, failures, last_failure_at, idle_minutes, pin_on_start FROM lock_state WHERE id = 1
     ${forUpdate ? "FOR UPDATE" : ""}`,
  );
  const row = rows[0]!;
  return { ...camelRow(row), pinOnStart: row.pin_on_start === 1 };
}

/** The app lock's rows in PostgreSQL (tables `lock_state`, `lock_sessions`, `api_tokens`). */
export class PgLockStore implements LockStore {
  constructor(private readonly pool: pg.Pool) {}

  async state(): Promise<LockState> {
    return readState(this.pool);
  }

  async setPin(pinHash: string | null): Promise<void> {
    // Purpose: pin set/change/remove: a new PIN ends every session and starts the count afresh.
    await pgTransaction(this.pool, async (client) => {
      await client.query(
        `UPDATE lock_state SET pin_hash = $1, failures = 0, last_failure_at = NULL WHERE id = 1`,
        [pinHash],
      );
      await client.query(`DELETE FROM lock_sessions`);
    });
  }

  async rehashPin(pinHash: string): Promise<void> {
    // Purpose: the same PIN under stronger parameters, after a correct unlock.
    await this.pool.query(`UPDATE lock_state SET pin_hash = $1 WHERE id = 1`, [pinHash]);
  }

  async claimAttempt(
    at: number,
    admit: (state: LockState) => boolean,
  ): Promise<{ state: LockState; admitted: boolean }> {
    // Purpose: count an unlock attempt before checking it, the state's row locked from the read
    // to the count, so that concurrent attempts (other requests, other machines) each see the
    // count of the last.
    return pgTransaction(this.pool, async (client) => {
      const state = await readState(client, true);
      const admitted = admit(state);
      if (admitted)
        await client.query(
          `UPDATE lock_state SET failures = failures + 1, last_failure_at = $1 WHERE id = 1`,
          [at],
        );
      return { state, admitted };
    });
  }

  async resetFailures(): Promise<void> {
    // Purpose: a correct PIN or trawl security unlock-reset.
    await this.pool.query(`UPDATE lock_state SET failures = 0, last_failure_at = NULL WHERE id = 1`);
  }

  async setIdleMinutes(minutes: number | null): Promise<void> {
    // Purpose: trawl security auto-lock.
    await this.pool.query(`UPDATE lock_state SET idle_minutes = $1 WHERE id = 1`, [minutes]);
  }

  async setPinOnStart(on: boolean): Promise<void> {
    // Purpose: trawl security pin-on-start.
    await this.pool.query(`UPDATE lock_state SET pin_on_start = $1 WHERE id = 1`, [on ? 1 : 0]);
  }

  async createSession(session: LockSessionRecord): Promise<void> {
    // Purpose: a correct unlock.
    await this.pool.query(
      `INSERT INTO lock_sessions (id_hash, created_at, last_active_at) VALUES ($1, $2, $3)`,
      [session.idHash, session.createdAt, session.lastActiveAt],
    );
  }

  async session(idHash: string): Promise<LockSessionRecord | undefined> {
    // Purpose: the session a request's cookie names, checked on every guarded request.
    const { rows } = await this.pool.query<{ id_hash: string; created_at: number; last_active_at: number }>(
      `SELECT id_hash, created_at, last_active_at FROM lock_sessions WHERE id_hash = $1`,
      [idHash],
    );
    return rows[0] && camelRow(rows[0]);
  }

  async touchSession(idHash: string, at: number): Promise<void> {
    // Purpose: user activity keeps a session alive.
    await this.pool.query(`UPDATE lock_sessions SET last_active_at = $1 WHERE id_hash = $2`, [at, idHash]);
  }

  async endSession(idHash: string): Promise<boolean> {
    // Purpose: POST /api/security/lock, or an idle session found on a request.
    const ended = await this.pool.query(`DELETE FROM lock_sessions WHERE id_hash = $1`, [idHash]);
    return (ended.rowCount ?? 0) > 0;
  }

  async endIdleSessions(before: number): Promise<number> {
    // Purpose: sweep sessions nobody has used since `before` (closed tabs).
    const ended = await this.pool.query(`DELETE FROM lock_sessions WHERE last_active_at < $1`, [before]);
    return ended.rowCount ?? 0;
  }

  async createToken(token: ApiTokenRecord): Promise<boolean> {
    // Purpose: trawl security token create NAME; false when the name (or, as SQLite's OR IGNORE
    // has it, the hash) is taken.
    const created = await this.pool.query(
      `INSERT INTO api_tokens (name, token_hash, created_at, last_used_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [token.name, token.tokenHash, token.createdAt, token.lastUsedAt],
    );
    return (created.rowCount ?? 0) > 0;
  }

  async tokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    // Purpose: the token a bearer header names.
    const { rows } = await this.pool.query<TokenRow>(`SELECT * FROM api_tokens WHERE token_hash = $1`, [
      tokenHash,
    ]);
    return rows[0] && camelRow(rows[0]);
  }

  async tokens(): Promise<ApiTokenRecord[]> {
    // Purpose: trawl security token list, by name in byte order (as SQLite sorts).
    const { rows } = await this.pool.query<TokenRow>(`SELECT * FROM api_tokens ORDER BY name COLLATE "C"`);
    return rows.map((row) => camelRow(row));
  }

  async touchToken(name: string, at: number): Promise<void> {
    // Purpose: when a token was last used (trawl security token list).
    await this.pool.query(`UPDATE api_tokens SET last_used_at = $1 WHERE name = $2`, [at, name]);
  }

  async revokeToken(name: string): Promise<boolean> {
    // Purpose: trawl security token revoke NAME.
    const revoked = await this.pool.query(`DELETE FROM api_tokens WHERE name = $1`, [name]);
    return (revoked.rowCount ?? 0) > 0;
  }
}
