import { STATUS_CODES } from "node:http";
import { describeError, NotFoundError, TrawlError, UsageError } from "../core/errors.ts";
import { InvalidTransitionError, RunBusyError } from "../engine/index.ts";

/** The body of every API error (documented in docs/api.md). */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

/** An error the server raises itself (refused host, foreign origin, unknown route). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function body(statusCode: number, code: string, message: string): ApiErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? "Error", message };
}

/**
 * The API error for anything a handler threw: trawl's own errors keep their stable code (a missing
 * thing is 404, a state that forbids the action 409, other bad input 400); request validation is
 * 400 `TRAWL_ERR_HTTP_VALIDATION`; anything unexpected is a 500 whose message reveals nothing.
 */
export function apiErrorOf(error: unknown): ApiErrorBody {
  if (error instanceof HttpError) return body(error.statusCode, error.code, error.message);
  if (error instanceof NotFoundError) return body(404, error.code, error.message);
  if (error instanceof InvalidTransitionError || error instanceof RunBusyError)
    return body(409, error.code, error.message);
  if (error instanceof UsageError) return body(400, error.code, describeError(error));
  const fastify = error as { validation?: unknown; statusCode?: number; code?: string; message?: string };
  if (fastify.validation) return body(400, "TRAWL_ERR_HTTP_VALIDATION", fastify.message ?? "invalid request");
  if (typeof fastify.statusCode === "number" && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    // Fastify's own client errors: a malformed JSON body, an unsupported media type, …
    return body(fastify.statusCode, "TRAWL_ERR_HTTP_BAD_REQUEST", fastify.message ?? "bad request");
  }
  if (error instanceof TrawlError) return body(500, error.code, error.message);
  return body(500, "TRAWL_ERR_INTERNAL", "internal error; see the server's log");
}
