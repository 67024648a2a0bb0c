/**
 * Baseline protection of a local server against web pages in the user's own browser: DNS
 * rebinding (a foreign name resolving to 127.0.0.1) is refused by the `Host` check, cross-site
 * requests that change state by the `Origin` check, and no CORS header is ever sent, so no other
 * origin can read a response.
 */
import type { FastifyRequest } from "fastify";
import { serverError } from "./errors.ts";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Whether a listening address keeps the server on this machine. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase());
}
const ANY = new Set(["0.0.0.0", "::", "[::]"]);
const SAFE_METHODS = new Set(["GET", "HEAD"]);

/** The `host:port` values a request may name: the server's own loopback names, or its host. */
export function allowedAuthorities(host: string, port: number): Set<string> | "any" {
  if (ANY.has(host)) return "any";
  if (LOOPBACK.has(host)) return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  return new Set([`${host.includes(":") ? `[${host}]` : host}:${port}`.toLowerCase()]);
}

/**
 * Throws a 403 (`TRAWL_ERR_HTTP_HOST` or `TRAWL_ERR_HTTP_ORIGIN`) for a request this server must not answer: a `Host` that is not its
 * own, or a state-changing (or preflight) request from another origin, an opaque (`null`) origin,
 * or a cross-site context.
 */
export function guardRequest(request: FastifyRequest, authorities: Set<string> | "any"): void {
  const host = (request.headers.host ?? "").toLowerCase();
  if (authorities !== "any" && !authorities.has(host)) {
    throw serverError("TRAWL_ERR_HTTP_HOST", { host });
  }
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin !== undefined) {
    const own = authorities === "any" ? `http://${host}` : undefined;
    const allowed = own
      ? origin === own
      : authorities !== "any" && [...authorities].some((a) => origin === `http://${a}`);
    if (!allowed) throw serverError("TRAWL_ERR_HTTP_ORIGIN", { origin });
    return;
  }
  // Browsers always send Origin on these; without it, the fetch metadata still tells a foreign page.
  if (request.headers["sec-fetch-site"] === "cross-site") {
    throw serverError("TRAWL_ERR_HTTP_ORIGIN", "refused: a cross-site request may not change anything");
  }
}
