import { camelRow } from "./camel-row.ts";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import type { ApiTokenRecord, LockSessionRecord, LockState, LockStore } from "./lock-types.ts";

interface StateRow {
  pin_hash: string | null;
  failures: number;
  last_failure_at: number | null;
  idle_minutes: number | null;
  pin_on_start: number;
}

/** The app lock's rows in SQLite (tables `lock_state`, `lock_sessions`, `api_tokens`, migration 16). */
export class SqliteLockStore implements LockStore {
  constructor(private readonly db: SqliteDatabase) {}

  async state(): Promise<LockState> {
    return this.readState();
  }

  private readState(): LockState {
    // Purpose: the lock's one row (made by the migration).
    const row = this.db
      .prepare(
        `SELECT pin_hash, failures, last_failure_at, idle_minutes, pin_on_start FROM lock_state WHERE id = 1`,
      )
      .get() as StateRow;
    return { ...camelRow(row), pinOnStart: row.pin_on_start === 1 };
  }

  async setPin(pinHash: string | null): Promise<void> {
    // Purpose: pin set/change/remove: a new PIN ends every session and starts the count afresh.
    writeTransaction(this.db, () => {
      this.db
        .prepare(`UPDATE lock_state SET pin_hash = ?, failures = 0, last_failure_at = NULL WHERE id = 1`)
        .run(pinHash);
      this.db.prepare(`DELETE FROM lock_sessions`).run();
    });
  }

  async rehashPin(pinHash: string): Promise<void> {
    // Purpose: the same PIN under stronger parameters, after a correct unlock.
    writeTransaction(this.db, () =>
      this.db.prepare(`UPDATE lock_state SET pin_hash = ? WHERE id = 1`).run(pinHash),
    );
  }

  async claimAttempt(
    at: number,
    admit: (state: LockState) => boolean,
  ): Promise<{ state: LockState; admitted: boolean }> {
    // Purpose: count an unlock attempt before checking it, under the write lock, so that
    // concurrent attempts (other requests, other processes) each see the count of the last.
    return writeTransaction(this.db, () => {
      const state = this.readState();
      const admitted = admit(state);
      if (admitted)
        this.db
          .prepare(`UPDATE lock_state SET failures = failures + 1, last_failure_at = ? WHERE id = 1`)
          .run(at);
      return { state, admitted };
    });
  }

  async resetFailures(): Promise<void> {
    // Purpose: a correct PIN or trawl security unlock-reset.
    writeTransaction(this.db, () =>
      this.db.prepare(`UPDATE lock_state SET failures = 0, last_failure_at = NULL WHERE id = 1`).run(),
    );
  }

  async setIdleMinutes(minutes: number | null): Promise<void> {
    // Purpose: trawl security auto-lock.
    writeTransaction(this.db, () =>
      this.db.prepare(`UPDATE lock_state SET idle_minutes = ? WHERE id = 1`).run(minutes),
    );
  }

  async setPinOnStart(on: boolean): Promise<void> {
    // Purpose: trawl security pin-on-start.
    writeTransaction(this.db, () =>
      this.db.prepare(`UPDATE lock_state SET pin_on_start = ? WHERE id = 1`).run(on ? 1 : 0),
    );
  }

  async createSession(session: LockSessionRecord): Promise<void> {
    // Purpose: a correct unlock.
    writeTransaction(this.db, () =>
      this.db
        .prepare(`INSERT INTO lock_sessions (id_hash, created_at, last_active_at) VALUES (?, ?, ?)`)
        .run(session.idHash, session.createdAt, session.lastActiveAt),
    );
  }

  async session(idHash: string): Promise<LockSessionRecord | undefined> {
    // Purpose: the session a request's cookie names, checked on every guarded request.
    const row = this.db
      .prepare(`SELECT id_hash, created_at, last_active_at FROM lock_sessions WHERE id_hash = ?`)
      .get(idHash) as { id_hash: string; created_at: number; last_active_at: number } | undefined;
    return row && camelRow(row);
  }

  async touchSession(idHash: string, at: number): Promise<void> {
    // Purpose: user activity keeps a session alive.
    writeTransaction(this.db, () =>
      this.db.prepare(`UPDATE lock_sessions SET last_active_at = ? WHERE id_hash = ?`).run(at, idHash),
    );
  }

  async endSession(idHash: string): Promise<boolean> {
    // Purpose: POST /api/security/lock, or an idle session found on a request.
    return writeTransaction(
      this.db,
      () => this.db.prepare(`DELETE FROM lock_sessions WHERE id_hash = ?`).run(idHash).changes > 0,
    );
  }

  async endIdleSessions(before: number): Promise<number> {
    // Purpose: sweep sessions nobody has used since `before` (closed tabs).
    return writeTransaction(
      this.db,
      () => this.db.prepare(`DELETE FROM lock_sessions WHERE last_active_at < ?`).run(before).changes,
    );
  }

  async createToken(token: ApiTokenRecord): Promise<boolean> {
    // Purpose: trawl security token create NAME; false when the name is taken.
    return writeTransaction(
      this.db,
      () =>
        this.db
          .prepare(
            `INSERT OR IGNORE INTO api_tokens (name, token_hash, created_at, last_used_at) VALUES (?, ?, ?, ?)`,
          )
          .run(token.name, token.tokenHash, token.createdAt, token.lastUsedAt).changes > 0,
    );
  }

  async tokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    // Purpose: the token a bearer header names.
    const row = this.db.prepare(`SELECT * FROM api_tokens WHERE token_hash = ?`).get(tokenHash) as
      { name: string; token_hash: string; created_at: number; last_used_at: number | null } | undefined;
    return row && camelRow(row);
  }

  async tokens(): Promise<ApiTokenRecord[]> {
    // Purpose: trawl security token list.
    const rows = this.db.prepare(`SELECT * FROM api_tokens ORDER BY name`).all() as {
      name: string;
      token_hash: string;
      created_at: number;
      last_used_at: number | null;
    }[];
    return rows.map((row) => camelRow(row));
  }

  async touchToken(name: string, at: number): Promise<void> {
    // Purpose: when a token was last used (trawl security token list).
    writeTransaction(this.db, () =>
      this.db.prepare(`UPDATE api_tokens SET last_used_at = ? WHERE name = ?`).run(at, name),
    );
  }

  async revokeToken(name: string): Promise<boolean> {
    // Purpose: trawl security token revoke NAME.
    return writeTransaction(
      this.db,
      () => this.db.prepare(`DELETE FROM api_tokens WHERE name = ?`).run(name).changes > 0,
    );
  }
}
