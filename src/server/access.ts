/**
 * The access check (issue 15, item 0): the API and the event stream answer only a request that
 * carries the installation's access token, as a bearer token (scripts, the CLI) or as the app's
 * session cookie. The app gets the cookie through its link (`/?token=…`, printed by `trawl serve`,
 * opened by `trawl app`): the server checks the token, sets the cookie and sends the browser on to
 * the same page without the token in its address. The app's own files need no token: they hold
 * no data.
 */
import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sameSecret, sessionProof } from "../security/index.ts";
import { serverError } from "./errors.ts";

/** The app's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export const SESSION_COOKIE = "trawl_session";

/** Paths that need the token: the API and everything under it (the event stream included). */
const GUARDED = /^\/api(\/|$|\?)/;

/** Registers the check and the link's exchange on every request of `fastify`. */
export async function requireAccessToken(fastify: FastifyInstance, token: string): Promise<void> {
  const session = sessionProof(token);
  await fastify.register(cookie);
  fastify.addHook("onRequest", async (request, reply) => {
    const linked = linkToken(request);
    if (linked !== undefined) return exchange(request, reply, linked, token, session);
    if (!GUARDED.test(request.url)) return;
    if (sameSecret(bearerOf(request), token) || sameSecret(request.cookies[SESSION_COOKIE], session)) return;
    throw serverError("TRAWL_ERR_HTTP_UNAUTHORIZED");
  });
}

/** The `token` query parameter of a page of the app (the link), if any. */
function linkToken(request: FastifyRequest): string | undefined {
  if (request.method !== "GET" || GUARDED.test(request.url)) return undefined;
  const value = (request.query as Record<string, unknown> | undefined)?.token;
  return typeof value === "string" ? value : undefined;
}

/** The link: a right token sets the session cookie; either way the browser goes on without it. */
async function exchange(
  request: FastifyRequest,
  reply: FastifyReply,
  given: string,
  token: string,
  session: string,
): Promise<FastifyReply> {
  if (!sameSecret(given, token)) throw serverError("TRAWL_ERR_HTTP_UNAUTHORIZED");
  const url = new URL(request.url, "http://trawl");
  url.searchParams.delete("token");
  void reply.setCookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: "strict", path: "/" });
  return reply.redirect(`${url.pathname}${url.search}`, 303);
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
}
