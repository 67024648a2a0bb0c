/**
 * The app lock as the API serves it (GET /api/security/status, POST /api/security/unlock and
 * /api/security/lock) and the web app's lock screen reads it. Imports nothing but TypeBox, so the
 * web app can import it too.
 */
import { Type, type Static } from "typebox";

/** The lock as the caller sees it: reachable while locked. */
export const LockStatusSchema = Type.Object({
  /** Whether this caller must unlock before using the API (a PIN is set and it has no open session). */
  locked: Type.Boolean(),
  pinSet: Type.Boolean(),
  /** Wrong PINs in a row. */
  failures: Type.Integer({ minimum: 0 }),
  /** Seconds until the next attempt is admitted; 0: now. */
  retryAfterSeconds: Type.Integer({ minimum: 0 }),
  /** Unlocking disabled after too many wrong PINs, until `trawl security unlock-reset`. */
  disabled: Type.Boolean(),
  /** Minutes of inactivity that end a session; 0: never. */
  idleMinutes: Type.Integer({ minimum: 0 }),
});
export type LockStatus = Static<typeof LockStatusSchema>;

/** The body of POST /api/security/unlock. */
export const UnlockBodySchema = Type.Object(
  { pin: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
);
export type UnlockBody = Static<typeof UnlockBodySchema>;

/** A correct PIN: the session cookie is set; the app sends `csrfToken` back as X-Trawl-CSRF. */
export const UnlockedSchema = Type.Object({ unlocked: Type.Boolean(), csrfToken: Type.String() });
export type Unlocked = Static<typeof UnlockedSchema>;

/** POST /api/security/lock: the session ended (`ended` false: there was none). */
export const LockedSchema = Type.Object({ locked: Type.Boolean(), ended: Type.Boolean() });
export type Locked = Static<typeof LockedSchema>;
