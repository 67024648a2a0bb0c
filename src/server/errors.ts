/**
 * The server layer's error catalogue: the codes of the HTTP API itself (`TRAWL_ERR_HTTP_*`). Errors
 * of the layers below keep their own codes and statuses; the error handler reads both from the error.
 */
import { defineErrors, errorFactory } from "../core/index.ts";

/** Every code the server raises, with its message shape, kind and HTTP status. */
export const SERVER_ERRORS = defineErrors({
  TRAWL_ERR_HTTP_VALIDATION: { kind: "usage", message: "{field}: {problem}" },
  /** Fastify's own client errors (a malformed JSON body, an unsupported media type): their 4xx status. */
  TRAWL_ERR_HTTP_BAD_REQUEST: { kind: "usage", message: "{problem}" },
  TRAWL_ERR_HTTP_HOST: { kind: "usage", status: 403, message: 'refused: Host "{host}" is not this server' },
  TRAWL_ERR_HTTP_ORIGIN: {
    kind: "usage",
    status: 403,
    message: 'refused: requests from origin "{origin}" may not change anything',
  },
  TRAWL_ERR_HTTP_UNAUTHORIZED: {
    kind: "usage",
    status: 401,
    message:
      "the access token is missing or wrong: open the link `trawl serve` printed (or run `trawl app`), or send the token of $TRAWL_HOME/access-token as `Authorization: Bearer <token>`",
  },
  TRAWL_ERR_HTTP_LOCKED: {
    kind: "usage",
    status: 401,
    message:
      "the app is locked: unlock it with the PIN (POST /api/security/unlock), or send a token of `trawl security token create NAME` as `Authorization: Bearer <token>`",
  },
  TRAWL_ERR_HTTP_CSRF: {
    kind: "usage",
    status: 403,
    message: "refused: a session's request that changes something must carry its CSRF token in X-Trawl-CSRF",
  },
  TRAWL_ERR_HTTP_EXPOSED: {
    kind: "usage",
    message:
      "refusing to listen on {host}, beyond this machine, without a PIN: set one first (trawl security pin set), and put a TLS proxy in front",
  },
  TRAWL_ERR_HTTP_NOT_FOUND: { kind: "not_found", message: "no route {method} {url}" },
  TRAWL_ERR_HTTP_SCRAPER_NOT_FOUND: { kind: "not_found", message: "{file} is not in a scraper folder" },
});

/** Makes an error of {@link SERVER_ERRORS}: `serverError("TRAWL_ERR_HTTP_HOST", { host })`. */
export const serverError = errorFactory(SERVER_ERRORS);
