/**
 * The app lock's rows (see {@link LockStore}): the PIN's hash, the failed-attempt counter, the
 * unlocked sessions and the named API tokens. The store keeps hashes only: the security layer
 * hashes and checks, the store never sees a PIN, a session id or a token.
 */

/** The lock's one row of state. */
export interface LockState {
  /** The PIN's argon2id PHC string; null: no PIN (the access token guards). */
  pinHash: string | null;
  /** Failed unlock attempts in a row (reset by a correct PIN or `trawl security unlock-reset`). */
  failures: number;
  /** When the last failed attempt was admitted (ms since the epoch); null: none. */
  lastFailureAt: number | null;
  /** Minutes of inactivity after which a session ends; null: the default; 0: never. */
  idleMinutes: number | null;
  /** Whether a server's start ends every session, so the app asks for the PIN again. */
  pinOnStart: boolean;
}

/** An unlocked session, by the SHA-256 of its id. */
export interface LockSessionRecord {
  idHash: string;
  createdAt: number;
  /** The last user activity (see docs/security.md "What counts as activity"). */
  lastActiveAt: number;
}

/** A named API token, by the SHA-256 of its value. */
export interface ApiTokenRecord {
  name: string;
  tokenHash: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** The app lock's rows. */
export interface LockStore {
  state(): Promise<LockState>;
  /**
   * Sets the PIN's hash (null removes it). Every session ends and the failure counter is reset:
   * a new PIN starts afresh.
   */
  setPin(pinHash: string | null): Promise<void>;
  /** Replaces the PIN's hash after a rehash with stronger parameters; sessions stay. */
  rehashPin(pinHash: string): Promise<void>;
  /**
   * Claims an unlock attempt in one write transaction: `admit` sees the state as it is; when it
   * says yes, the attempt is counted as a failure (failures + 1, last failure `at`) before the PIN
   * is even checked, so a crash while checking loses no count. Resolves with the state `admit` saw
   * and whether it admitted.
   */
  claimAttempt(
    at: number,
    admit: (state: LockState) => boolean,
  ): Promise<{ state: LockState; admitted: boolean }>;
  /** Resets the failure counter (a correct PIN, `trawl security unlock-reset`). */
  resetFailures(): Promise<void>;
  setIdleMinutes(minutes: number | null): Promise<void>;
  setPinOnStart(on: boolean): Promise<void>;
  createSession(session: LockSessionRecord): Promise<void>;
  session(idHash: string): Promise<LockSessionRecord | undefined>;
  /** Moves a session's last activity to `at`. */
  touchSession(idHash: string, at: number): Promise<void>;
  /** Ends a session; resolves `false` when there was none. */
  endSession(idHash: string): Promise<boolean>;
  /** Ends every session idle since before `before`; resolves how many. */
  endIdleSessions(before: number): Promise<number>;
  createToken(token: ApiTokenRecord): Promise<boolean>;
  tokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  tokens(): Promise<ApiTokenRecord[]>;
  touchToken(name: string, at: number): Promise<void>;
  /** Deletes a token; resolves `false` when there was none of that name. */
  revokeToken(name: string): Promise<boolean>;
}
