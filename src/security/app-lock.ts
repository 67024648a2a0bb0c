/**
 * The app lock (issue 15, items 1, 2 and 4): the PIN, unlocking it under attempt limits kept in
 * the database, and the unlocked sessions that expire when idle. See docs/security.md "PIN and
 * sessions". The server asks it whether a request may pass; the CLI sets the PIN.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import type { Clock } from "../core/index.ts";
import type { LockState, LockStore } from "../store/index.ts";
import type { AuditActor } from "./audit-actions.ts";
import type { AuditLog } from "./audit-log.ts";
import { securityError } from "./errors.ts";
import { checkPin, hashPin, needsRehash, verifyPin } from "./pin.ts";
import { attemptVerdict, MAX_FAILURES } from "./unlock-policy.ts";

/** Minutes of inactivity after which a session ends, unless `trawl security auto-lock` says otherwise. */
export const DEFAULT_IDLE_MINUTES = 15;

/** What the lock screen needs to know (GET /api/security/status). */
export interface LockStatus {
  pinSet: boolean;
  /** Failed attempts in a row. */
  failures: number;
  /** Milliseconds until the next attempt is admitted; 0: now. */
  retryAfterMs: number;
  /** Unlocking disabled until `trawl security unlock-reset`. */
  disabled: boolean;
  /** Minutes of inactivity that end a session; 0: never. */
  idleMinutes: number;
  /** Whether a server's start ends every session (the app asks for the PIN again). */
  pinOnStart: boolean;
}

/** A session made by a correct PIN: the cookie's value and the CSRF token the app sends back. */
export interface UnlockedSession {
  id: string;
  csrf: string;
  /** How the audit log names it (`session` and the start of its id's hash). */
  name: string;
}

/** What a session cookie is worth on a request. */
export type SessionCheck = { kind: "valid"; csrf: string; name: string } | { kind: "expired" | "unknown" };

/** Where the lock keeps its rows and records what happens. */
export interface AppLockOptions {
  store: LockStore;
  clock: Clock;
  audit: { log: AuditLog; actor: () => AuditActor };
}

/** SHA-256 hex of a session id or token: what the database keeps instead of it. */
export function secretDigest(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/**
 * The CSRF token of a session: derived from its id (HMAC-SHA256), so it is stored nowhere, and
 * a page of another site, which cannot read the app's cookies, cannot know it.
 */
export function csrfTokenOf(sessionId: string): string {
  return createHmac("sha256", sessionId).update("trawl csrf v1").digest("base64url");
}

/** The PIN, unlock attempts and sessions of one data directory. */
export class AppLock {
  constructor(private readonly options: AppLockOptions) {}

  private get store(): LockStore {
    return this.options.store;
  }

  private async record(action: Parameters<AuditLog["append"]>[0]["action"], extra: object = {}) {
    await this.options.audit.log.append({ actor: this.options.audit.actor(), action, ...extra });
  }

  async status(): Promise<LockStatus> {
    const state = await this.store.state();
    const verdict = attemptVerdict(state, this.options.clock.now());
    return {
      pinSet: state.pinHash !== null,
      failures: state.failures,
      retryAfterMs: verdict.kind === "wait" ? verdict.retryAfterMs : 0,
      disabled: verdict.kind === "disabled",
      idleMinutes: idleMinutesOf(state),
      pinOnStart: state.pinOnStart,
    };
  }

  /** Sets the first PIN (`trawl security pin set`); a PIN set already is a conflict. */
  async setPin(pin: string): Promise<void> {
    const hashed = await hashPin(checkPin(pin));
    if ((await this.store.state()).pinHash !== null) throw securityError("TRAWL_ERR_SECURITY_PIN_EXISTS");
    await this.store.setPin(hashed);
    await this.record("pin.set");
  }

  /** Replaces the PIN when `current` is right; every session ends. */
  async changePin(current: string, next: string): Promise<void> {
    const stored = await this.requirePin("change");
    const hashed = await hashPin(checkPin(next));
    if (!(await verifyPin(stored, current))) throw securityError("TRAWL_ERR_SECURITY_PIN_WRONG");
    await this.store.setPin(hashed);
    await this.record("pin.changed");
  }

  /** Removes the PIN (the CLI is trusted: the way out of a forgotten one); the access token guards again. */
  async removePin(): Promise<void> {
    await this.requirePin("remove");
    await this.store.setPin(null);
    await this.record("pin.removed");
  }

  private async requirePin(action: string): Promise<string> {
    const { pinHash } = await this.store.state();
    if (pinHash === null) throw securityError("TRAWL_ERR_SECURITY_NO_PIN", { action });
    return pinHash;
  }

  /**
   * Checks a PIN under the attempt limits and opens a session when it is right. The attempt is
   * counted as a failure before the PIN is checked (a crash, a `kill -9`, loses no count); a right
   * PIN then resets the count. An attempt the policy refuses is neither checked nor counted.
   */
  async unlock(pin: string): Promise<UnlockedSession> {
    const now = this.options.clock.now();
    const { state, admitted } = await this.store.claimAttempt(
      now,
      (seen) => seen.pinHash !== null && attemptVerdict(seen, now).kind === "admit",
    );
    if (state.pinHash === null) throw securityError("TRAWL_ERR_SECURITY_NO_PIN", { action: "unlock" });
    if (!admitted) throw this.refusal(state, now);
    if (!(await verifyPin(state.pinHash, pin))) {
      const failures = state.failures + 1;
      await this.record("unlock.failed", { details: { failures } });
      if (failures === MAX_FAILURES) await this.record("unlock.locked-out", { details: { failures } });
      throw securityError("TRAWL_ERR_SECURITY_PIN_WRONG");
    }
    await this.store.resetFailures();
    if (needsRehash(state.pinHash)) await this.store.rehashPin(await hashPin(pin));
    const id = randomBytes(32).toString("base64url");
    const idHash = secretDigest(id);
    await this.store.createSession({ idHash, createdAt: now, lastActiveAt: now });
    // Sessions nobody came back to (closed tabs) are deleted here; they could open nothing anyway.
    const idleMs = idleMinutesOf(state) * 60_000;
    if (idleMs > 0) await this.store.endIdleSessions(now - idleMs);
    const name = sessionName(idHash);
    await this.record("unlock.succeeded", { actorName: name });
    return { id, csrf: csrfTokenOf(id), name };
  }

  private refusal(state: LockState, now: number) {
    const verdict = attemptVerdict(state, now);
    if (verdict.kind === "wait")
      return securityError(
        "TRAWL_ERR_SECURITY_UNLOCK_WAIT",
        { failures: state.failures, seconds: Math.ceil(verdict.retryAfterMs / 1000) },
        { details: { retryAfterMs: verdict.retryAfterMs } },
      );
    return securityError("TRAWL_ERR_SECURITY_UNLOCK_DISABLED", { failures: state.failures });
  }

  /** Re-enables unlocking after too many failures (`trawl security unlock-reset`). */
  async resetAttempts(): Promise<number> {
    const { failures } = await this.store.state();
    await this.store.resetFailures();
    await this.record("unlock.reset", { details: { failures } });
    return failures;
  }

  /**
   * What a session cookie is worth now. A session idle longer than the auto-lock time ends here
   * (and is logged `lock.idle`); `activity` (user input, see docs/security.md) moves its clock.
   */
  async checkSession(id: string, activity: boolean): Promise<SessionCheck> {
    const idHash = secretDigest(id);
    const session = await this.store.session(idHash);
    if (!session) return { kind: "unknown" };
    const now = this.options.clock.now();
    const idleMs = idleMinutesOf(await this.store.state()) * 60_000;
    if (idleMs > 0 && now - session.lastActiveAt > idleMs) {
      if (await this.store.endSession(idHash))
        await this.record("lock.idle", { actorName: sessionName(idHash) });
      return { kind: "expired" };
    }
    if (activity) await this.store.touchSession(idHash, now);
    return { kind: "valid", csrf: csrfTokenOf(id), name: sessionName(idHash) };
  }

  /** Ends a session on demand (POST /api/security/lock); `false` when it was not open. */
  async lock(id: string): Promise<boolean> {
    const idHash = secretDigest(id);
    const ended = await this.store.endSession(idHash);
    if (ended) await this.record("lock.manual", { actorName: sessionName(idHash) });
    return ended;
  }

  /** Sets the minutes of inactivity that end a session; 0: never (`trawl security auto-lock`). */
  /** `trawl security pin-on-start on|off`. */
  async setPinOnStart(on: boolean): Promise<void> {
    await this.store.setPinOnStart(on);
    await this.record("settings.changed", { subject: "pin-on-start", details: { on } });
  }

  /** A server starts: with PIN on start, every session ends, and the app asks for the PIN again. */
  async serverStarting(): Promise<void> {
    const state = await this.store.state();
    if (state.pinHash === null || !state.pinOnStart) return;
    // Every session was last active before now: ending those idle since then ends them all.
    const ended = await this.store.endIdleSessions(this.options.clock.now() + 1);
    if (ended > 0) await this.record("lock.start", { details: { sessions: ended } });
  }

  async setIdleMinutes(minutes: number): Promise<void> {
    await this.store.setIdleMinutes(minutes);
    await this.record("settings.changed", { subject: "auto-lock", details: { idleMinutes: minutes } });
  }
}

function idleMinutesOf(state: LockState): number {
  return state.idleMinutes ?? DEFAULT_IDLE_MINUTES;
}

/** How the audit log names a session: never its id, which is the cookie. */
function sessionName(idHash: string): string {
  return `session ${idHash.slice(0, 8)}`;
}
