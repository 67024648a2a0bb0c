/**
 * The fetch layer's one error class and the classification of low-level failures (undici, sockets,
 * zlib) into stable {@link ReasonCode}s.
 */
import {
  defineErrors,
  errorFactory,
  TrawlError,
  type ErrorCatalogue,
  type ErrorSpec,
} from "../core/index.ts";
import type { ReasonCode } from "./types.ts";

/** The code of each reason a request fails for (`http_NNN` aside): the catalogue must list them all. */
type ReasonErrorCode = `TRAWL_ERR_FETCH_${Uppercase<Exclude<ReasonCode, `http_${number}`>>}`;

/**
 * Every code the fetch layer raises, with its message shape, kind and HTTP status. A failed request
 * is `TRAWL_ERR_FETCH_<REASON>` (its {@link ReasonCode} upper-cased); a non-accepted HTTP status
 * is the family {@link FETCH_HTTP_STATUS_ERROR}.
 */
export const FETCH_ERRORS = defineErrors({
  TRAWL_ERR_FETCH_TIMEOUT: { kind: "failed", message: "deadline exceeded for {url}" },
  TRAWL_ERR_FETCH_TOO_LARGE: { kind: "failed", message: "body exceeds max_body ({max}) for {url}" },
  TRAWL_ERR_FETCH_REDIRECT_LIMIT: { kind: "failed", message: "too many redirects from {url}" },
  TRAWL_ERR_FETCH_DNS: { kind: "failed", message: "dns for {url}: {problem}" },
  TRAWL_ERR_FETCH_REFUSED: { kind: "failed", message: "refused for {url}: {problem}" },
  TRAWL_ERR_FETCH_RESET: { kind: "failed", message: "reset for {url}: {problem}" },
  TRAWL_ERR_FETCH_TRUNCATED: { kind: "failed", message: "truncated for {url}: {problem}" },
  TRAWL_ERR_FETCH_ROBOTS: { kind: "failed", message: "robots.txt disallows {url}" },
  TRAWL_ERR_FETCH_BAD_URL: { kind: "failed", message: "not a fetchable URL: {url}" },
  TRAWL_ERR_FETCH_URL_TOO_LONG: { kind: "failed", message: "URL longer than {max} characters: {url}" },
  TRAWL_ERR_FETCH_UNSUPPORTED_CONTENT: {
    kind: "failed",
    message: "unsupported content type {type} for {url}",
  },
  TRAWL_ERR_FETCH_DECODE: { kind: "failed", message: "decode for {url}: {problem}" },
  TRAWL_ERR_FETCH_ABORTED: { kind: "failed", message: "request aborted: {url}" },
  TRAWL_ERR_FETCH_NETWORK: { kind: "failed", message: "network for {url}: {problem}" },
  TRAWL_ERR_FETCH_ACTION: { kind: "failed", message: "action {action} failed on {url}: {problem}" },
  TRAWL_ERR_FETCH_LOGIN: { kind: "failed", message: "login failed: {problem}" },
  TRAWL_ERR_FETCH_NOT_RECORDED: { kind: "failed", message: "the recording has no response for {url}" },
  TRAWL_ERR_FETCH_PROXY_REFUSED: { kind: "failed", message: "proxy {proxy} could not be reached for {url}" },
  TRAWL_ERR_FETCH_PROXY_AUTH: { kind: "failed", message: "proxy {proxy} wants credentials (407) for {url}" },
  TRAWL_ERR_FETCH_PROXY_ERROR: { kind: "failed", message: "proxy {proxy} answered {status} for {url}" },
  TRAWL_ERR_FETCH_NO_PROXY_LEFT: { kind: "failed", message: "every proxy is retired: {proxies}" },
  TRAWL_ERR_FETCH_CLOSED: { kind: "usage", message: "rate limiter is closed" },
  TRAWL_ERR_FETCH_RATE_OPTIONS: { kind: "usage", message: "invalid rate limits: {problem}" },
  TRAWL_ERR_FETCH_NO_BROWSER: { kind: "usage", message: "this fetcher has no browser engine configured" },
  TRAWL_ERR_FETCH_BROWSER_NOT_FOUND: {
    kind: "usage",
    message: "TRAWL_CHROMIUM points to {path}, which does not exist",
  },
  TRAWL_ERR_FETCH_BROWSER_CLOSED: { kind: "failed", message: "the browser pool is closed" },
  TRAWL_ERR_FETCH_BAD_SCRAPER_NAME: { kind: "usage", message: "not a scraper name: {name}" },
  TRAWL_ERR_FETCH_SESSION_NOT_FOUND: { kind: "not_found", message: "no saved session of scraper {scraper}" },
  TRAWL_ERR_FETCH_ENV_MISSING: { kind: "usage", message: "environment variable {name} is not set" },
  TRAWL_ERR_FETCH_SECRET_MISSING: { kind: "usage", message: "secret {name} is not set" },
} satisfies ErrorCatalogue & Record<ReasonErrorCode, ErrorSpec>);

/** `TRAWL_ERR_FETCH_HTTP_<STATUS>` (`TRAWL_ERR_FETCH_HTTP_404`): a status the request did not accept. */
export const FETCH_HTTP_STATUS_ERROR: ErrorSpec = { kind: "failed", message: "HTTP {status} for {url}" };

/** Makes an error of {@link FETCH_ERRORS} (a failed request is a {@link FetchError} instead). */
export const fetchError = errorFactory(FETCH_ERRORS);

/** Options of a {@link FetchError}. */
export interface FetchErrorOptions {
  cause?: unknown;
  /** HTTP status of the response that failed, when there was one. */
  status?: number;
  /** Delay the server asked for (`Retry-After`), in milliseconds. */
  retryAfterMs?: number;
  url?: string;
  /**
   * The error's own verdict on a retry, overriding the retry policy: only where it knows
   * better than any list of statuses and reasons (see `RetryableFailure.retryable`).
   */
  retryable?: boolean;
}

/**
 * A request that failed for a known reason. `code` is `TRAWL_ERR_FETCH_<REASON>` upper-cased
 * (e.g. `TRAWL_ERR_FETCH_TOO_LARGE`, `TRAWL_ERR_FETCH_HTTP_404`).
 */
export class FetchError extends TrawlError {
  readonly reason: ReasonCode;
  /**
   * The error's own verdict on a retry, when it has one (`false`: no retry can fix it; `true`:
   * a temporary DNS failure). Absent: the retry policy decides (`isRetryable`).
   */
  readonly retryable?: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly url?: string;
  /** Attempts made before the retrier gave up (set by it; absent: one). */
  attempts?: number;
  /** Why the retrier gave up early, when that is not obvious from the reason (set by it). */
  gaveUpBecause?: string;

  constructor(reason: ReasonCode, message: string, options: FetchErrorOptions = {}) {
    super(`TRAWL_ERR_FETCH_${reason.toUpperCase()}`, message, {
      cause: options.cause,
      details: compact({
        reason,
        status: options.status,
        url: options.url,
        retryAfterMs: options.retryAfterMs,
      }),
    });
    this.reason = reason;
    if (options.retryable !== undefined) this.retryable = options.retryable;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.url !== undefined) this.url = options.url;
  }
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** A non-accepted HTTP status as an error with reason `http_NNN`. */
export function httpStatusError(status: number, url: string, retryAfterMs?: number): FetchError {
  const options: FetchErrorOptions = { status, url };
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  return new FetchError(`http_${status}`, `HTTP ${status} for ${url}`, options);
}

/**
 * The `too_large` error of a body over `max_body`. `decoded`: the cap was hit while decompressing
 * (a small download inflating past the cap: a decompression bomb, or a page that is really big).
 */
export function tooLargeError(url: string, maxBytes: number, what: "body" | "decoded" | "page"): FetchError {
  const subject = what === "decoded" ? "decompressed body" : what;
  return new FetchError("too_large", `${subject} exceeds max_body (${describeSize(maxBytes)}) for ${url}`, {
    url,
  });
}

/** A byte count as a definition would write it: `1MB`, `512KB` (binary units), else `N bytes`. */
export function describeSize(bytes: number): string {
  const KB = 1024;
  if (bytes >= KB * KB && bytes % (KB * KB) === 0) return `${bytes / (KB * KB)}MB`;
  if (bytes >= KB && bytes % KB === 0) return `${bytes / KB}KB`;
  return `${bytes} bytes`;
}

/** Where a request was when it failed; a socket closing mid-body means a truncated body. */
export type FetchPhase = "connect" | "body";

/** What the single-attempt fetcher knows about the failure beyond the error itself. */
export interface ClassifyContext {
  url: string;
  phase: FetchPhase;
  /** The request's own deadline fired. */
  timedOut?: boolean;
  /** The caller's signal aborted. */
  aborted?: boolean;
}

const CODE_REASONS: Readonly<Record<string, ReasonCode>> = {
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  EAI_NONAME: "dns",
  ECONNREFUSED: "refused",
  ECONNRESET: "reset",
  EPIPE: "reset",
  UND_ERR_SOCKET: "reset",
  UND_ERR_CLOSED: "reset",
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: "truncated",
  ERR_STREAM_PREMATURE_CLOSE: "truncated",
  ETIMEDOUT: "timeout",
  UND_ERR_CONNECT_TIMEOUT: "timeout",
  UND_ERR_HEADERS_TIMEOUT: "timeout",
  UND_ERR_BODY_TIMEOUT: "timeout",
  UND_ERR_ABORTED: "aborted",
  ABORT_ERR: "aborted",
  ERR_INVALID_URL: "bad_url",
};

/**
 * Turns anything a fetch attempt threw into a {@link FetchError}. A `FetchError` passes through
 * unchanged. The context wins over the error: a deadline gives `timeout` and the caller's abort
 * gives `aborted` whatever undici reported; a reset or premature close while reading the body
 * gives `truncated`. Unknown failures become `network` (retryable).
 */
export function toFetchError(error: unknown, context: ClassifyContext): FetchError {
  if (error instanceof FetchError) return error;
  const url = context.url;
  if (context.aborted) return new FetchError("aborted", `request aborted: ${url}`, { cause: error, url });
  if (context.timedOut)
    return new FetchError("timeout", `deadline exceeded for ${url}`, { cause: error, url });
  const code = errorCode(error);
  let reason: ReasonCode = (code && reasonOfCode(code)) || reasonFromMessage(error) || "network";
  if (reason === "reset" && context.phase === "body") reason = "truncated";
  const options: FetchErrorOptions = { cause: error, url };
  if (code === "EAI_AGAIN") options.retryable = true;
  return new FetchError(reason, `${reason} for ${url}: ${describe(error)}`, options);
}

/** zlib and brotli report corrupt input with `Z_*` / `ERR_*BROTLI*`-style codes. */
function reasonOfCode(code: string): ReasonCode | undefined {
  if (code.startsWith("Z_") || code.includes("BROTLI") || code.startsWith("ERR__ERROR_")) return "decode";
  return CODE_REASONS[code];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function reasonFromMessage(error: unknown): ReasonCode | undefined {
  const message = describe(error);
  if (/other side closed|socket hang up/i.test(message)) return "reset";
  if (/premature close|aborted/i.test(message)) return "truncated";
  return undefined;
}

/** The first `code` found on the error, its `cause` chain or an AggregateError's members. */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== "object" || error === null) return undefined;
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof record.code === "string" && record.code in CODE_REASONS) return record.code;
  if (Array.isArray(record.errors)) {
    for (const inner of record.errors) {
      const found = errorCode(inner, depth + 1);
      if (found) return found;
    }
  }
  const fromCause = errorCode(record.cause, depth + 1);
  if (fromCause) return fromCause;
  return typeof record.code === "string" ? record.code : undefined;
}
