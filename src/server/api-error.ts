import { STATUS_CODES } from "node:http";
import { TrawlError } from "../core/index.ts";
import { serverError } from "./errors.ts";

/** The body of every API error (documented in docs/api.md). */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

function body(statusCode: number, code: string, message: string): ApiErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? "Error", message };
}

/**
 * The API error for anything a handler threw: trawl's own errors keep their stable code and the
 * HTTP status their catalogue gives it (docs/errors.md); request validation is 400
 * `TRAWL_ERR_HTTP_VALIDATION`, Fastify's other client errors `TRAWL_ERR_HTTP_BAD_REQUEST` with their
 * own 4xx status; anything unexpected is a 500 `TRAWL_ERR_CORE_INTERNAL` whose message reveals nothing.
 */
export function apiErrorOf(error: unknown): ApiErrorBody {
  if (error instanceof TrawlError) return body(error.statusCode, error.code, error.message);
  const fastify = error as { validation?: unknown; statusCode?: number; code?: string; message?: string };
  if (fastify.validation)
    return apiErrorOf(serverError("TRAWL_ERR_HTTP_VALIDATION", fastify.message ?? "invalid request"));
  if (typeof fastify.statusCode === "number" && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    // Fastify's own client errors: a malformed JSON body, an unsupported media type, …
    return body(fastify.statusCode, "TRAWL_ERR_HTTP_BAD_REQUEST", fastify.message ?? "bad request");
  }
  return body(500, "TRAWL_ERR_CORE_INTERNAL", "internal error; see the server's log");
}
