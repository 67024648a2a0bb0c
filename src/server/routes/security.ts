import type { FastifyInstance } from "fastify";
import type { App } from "../../app/index.ts";
import {
  LockedSchema,
  LockStatusSchema,
  UnlockBodySchema,
  UnlockedSchema,
  type Locked,
  type LockStatus,
  type UnlockBody,
  type Unlocked,
} from "../../core/contract/security.ts";
import { TrawlError } from "../../core/index.ts";
import { CSRF_COOKIE, SESSION_COOKIE } from "../access.ts";

/** The cookies' attributes: no other site's page sends them; the session's no script reads. */
const COOKIE = { sameSite: "strict", path: "/" } as const;

/**
 * The lock screen's routes (docs/security.md "PIN and sessions"): the status and unlocking are
 * open to a locked caller (src/server/access.ts lets them through); locking ends the caller's session.
 */
export function securityRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/security/status",
    {
      schema: {
        summary: "Whether the app is locked for this caller, and when the next unlock attempt is admitted",
        tags: ["security"],
        response: { 200: LockStatusSchema },
      },
    },
    async (request): Promise<LockStatus> => {
      const status = await app.lock.status();
      const id = request.cookies[SESSION_COOKIE];
      const open =
        status.pinSet && id !== undefined && (await app.lock.checkSession(id, false)).kind === "valid";
      return {
        locked: status.pinSet && !open,
        pinSet: status.pinSet,
        failures: status.failures,
        retryAfterSeconds: Math.ceil(status.retryAfterMs / 1000),
        disabled: status.disabled,
        idleMinutes: status.idleMinutes,
      };
    },
  );

  server.post(
    "/security/unlock",
    {
      schema: {
        summary: "Unlock with the PIN: sets the session cookie (attempts are limited)",
        tags: ["security"],
        body: UnlockBodySchema,
        response: { 200: UnlockedSchema },
      },
    },
    async (request, reply): Promise<Unlocked> => {
      const { pin } = request.body as UnlockBody;
      try {
        const session = await app.lock.unlock(pin);
        void reply.setCookie(SESSION_COOKIE, session.id, { ...COOKIE, httpOnly: true });
        void reply.setCookie(CSRF_COOKIE, session.csrf, COOKIE);
        return { unlocked: true, csrfToken: session.csrf };
      } catch (error) {
        const wait = error instanceof TrawlError ? error.details.retryAfterMs : undefined;
        if (typeof wait === "number") void reply.header("retry-after", String(Math.ceil(wait / 1000)));
        throw error;
      }
    },
  );

  server.post(
    "/security/lock",
    {
      schema: {
        summary: "Lock: ends this caller's session",
        tags: ["security"],
        response: { 200: LockedSchema },
      },
    },
    async (request, reply): Promise<Locked> => {
      const id = request.cookies[SESSION_COOKIE];
      const ended = id !== undefined && (await app.lock.lock(id));
      void reply.clearCookie(SESSION_COOKIE, COOKIE).clearCookie(CSRF_COOKIE, COOKIE);
      return { locked: true, ended };
    },
  );
}
