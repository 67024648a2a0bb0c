/**
 * The access check (issue 15, item 0): the API and the event stream answer only a request that
 * carries the installation's access token, as a bearer token (scripts, the CLI) or as the app's
 * session cookie. The app gets the cookie through its link (`/?token=…`, printed by `trawl serve`,
 * opened by `trawl app`): the server checks the token, sets the cookie and sends the browser on to
 * the same page without the token in its address. The app's own files need no token: they hold
 * no data.
 *
 * With a PIN set (docs/security.md "PIN and sessions") the access token alone no longer passes:
 * a request needs an unlocked session (the cookie a correct PIN gave, and on a state-changing
 * request the CSRF token in `X-Trawl-CSRF`) or a named API token. Unlocking and the lock's status
 * are open to all: the PIN is their credential, and the attempt limits guard it.
 */
import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { App } from "../app/index.ts";
import { nameCaller, sameSecret, sessionProof, withCallerContext } from "../security/index.ts";
import { serverError } from "./errors.ts";

/** The app's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export const SESSION_COOKIE = "trawl_session";

/** The CSRF token's cookie, which the app reads (not HttpOnly) and sends back as {@link CSRF_HEADER}. */
export const CSRF_COOKIE = "trawl_csrf";
/** The header a session's state-changing requests carry their CSRF token in. */
export const CSRF_HEADER = "x-trawl-csrf";
/**
 * The header the app sets on requests a user's input caused (a click, a key): with it, or on a
 * state-changing request, a session's idle time starts over. The event stream, heartbeats and
 * background refreshes do not send it.
 */
export const ACTIVITY_HEADER = "x-trawl-activity";

/** Routes a locked app answers: the lock screen's own. */
const OPEN = /^\/api\/security\/(unlock|status|lock)(\?|$)/;

/** Methods that change nothing: no CSRF token needed, and not activity by themselves. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Paths that need the token: the API and everything under it (the event stream included), and the metrics. */
const GUARDED = /^\/(api|metrics)(\/|$|\?)/;

/** Registers the check and the link's exchange on every request of `fastify`. */
export async function requireAccessToken(fastify: FastifyInstance, token: string, app: App): Promise<void> {
  const session = sessionProof(token);
  await fastify.register(cookie);
  // Each request in a caller context of its own: the audit log names the session or token it
  // came with (a callback hook, so that the rest of the request runs inside the context).
  fastify.addHook("onRequest", (_request, _reply, done) => withCallerContext(done));
  fastify.addHook("onRequest", async (request, reply) => {
    const linked = linkToken(request);
    if (linked !== undefined) {
      // With a PIN the token's cookie opens nothing: an unlocked session's cookie is kept.
      const cookieValue = (await app.lock.status()).pinSet ? undefined : session;
      return exchange(request, reply, linked, token, cookieValue);
    }
    if (!GUARDED.test(request.url) || OPEN.test(request.url)) return;
    const bearer = bearerOf(request);
    const tokenName = bearer === undefined ? undefined : await app.apiTokens.check(bearer);
    if (tokenName !== undefined) {
      // A stream it opened ends once the token is revoked.
      openSessions.set(request.raw, () => app.apiTokens.isLive(bearer!));
      return nameCaller(`token ${tokenName}`);
    }
    if ((await app.lock.status()).pinSet) return requireSession(request, app);
    if (!sameSecret(bearer, token) && !sameSecret(request.cookies[SESSION_COOKIE], session))
      throw serverError("TRAWL_ERR_HTTP_UNAUTHORIZED");
    // Let in by the access token: that stops being enough once a PIN is set.
    openSessions.set(request.raw, async () => !(await app.lock.status()).pinSet);
  });
}

/** With a PIN: an unlocked session that has not been idle too long, and its CSRF token when needed. */
async function requireSession(request: FastifyRequest, app: App): Promise<void> {
  const id = request.cookies[SESSION_COOKIE];
  const safe = SAFE_METHODS.has(request.method);
  const check = id
    ? await app.lock.checkSession(id, !safe || request.headers[ACTIVITY_HEADER] === "user")
    : undefined;
  if (check?.kind !== "valid") throw serverError("TRAWL_ERR_HTTP_LOCKED");
  if (!safe && !sameSecret(headerOf(request, CSRF_HEADER), check.csrf))
    throw serverError("TRAWL_ERR_HTTP_CSRF");
  nameCaller(check.name);
  openSessions.set(request.raw, async () => (await app.lock.checkSession(id!, false)).kind === "valid");
}

/** The session each request let in by a session came with (see {@link sessionStillOpen}). */
const openSessions = new WeakMap<FastifyRequest["raw"], () => Promise<boolean>>();

/**
 * Whether the session that let `request` in is still open (not locked, not idle too long, the PIN
 * unchanged), or for a request the access token let in, whether there is still no PIN; `true`
 * for one an API token let in. A long-lived answer, the event stream, asks
 * at each heartbeat and ends when its session did: a locked app receives no more events.
 */
export function sessionStillOpen(request: FastifyRequest): Promise<boolean> {
  return openSessions.get(request.raw)?.() ?? Promise.resolve(true);
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** The `token` query parameter of a page of the app (the link), if any. */
function linkToken(request: FastifyRequest): string | undefined {
  if (request.method !== "GET" || GUARDED.test(request.url)) return undefined;
  const value = (request.query as Record<string, unknown> | undefined)?.token;
  return typeof value === "string" ? value : undefined;
}

/** The link: a right token sets the session cookie (none with a PIN); either way the browser goes on without it. */
async function exchange(
  request: FastifyRequest,
  reply: FastifyReply,
  given: string,
  token: string,
  session: string | undefined,
): Promise<FastifyReply> {
  if (!sameSecret(given, token)) throw serverError("TRAWL_ERR_HTTP_UNAUTHORIZED");
  const url = new URL(request.url, "http://trawl");
  url.searchParams.delete("token");
  if (session !== undefined)
    void reply.setCookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: "strict", path: "/" });
  return reply.redirect(`${url.pathname}${url.search}`, 303);
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
}
