/**
 * One attempt of a GET (or a POST with a body) over undici: a total deadline, manual redirects, a body cap (wire and
 * decoded) and charset decoding. No retries and no politeness here: the fetcher (fetcher.ts) adds them.
 */
import type { Dispatcher } from "undici";
import { REQUEST_BODY_TYPES, type RequestBody } from "../core/index.ts";
import { decodeBody } from "./charset.ts";
import type { SecretSource } from "./env-template.ts";
import { gunzipFile } from "./gzip-file.ts";
import { dispatchHop } from "./dispatch-hop.ts";
import { FetchError, httpStatusError } from "./errors.ts";
import { parseRetryAfter } from "./retry-after.ts";
import type { FetchResponse } from "./types.ts";

/** Settings of one attempt. */
export interface AttemptOptions {
  /** Total deadline of the attempt's network time (connect, headers, body, every redirect hop). */
  timeoutMs: number;
  /** Cap on the body, checked on received and on decompressed bytes. */
  maxBodyBytes: number;
  /** Redirects followed before failing with `redirect_limit`. */
  maxRedirects: number;
  /** Request headers (names in any case). */
  headers: Record<string, string>;
  /** POSTed to the URL (a 301, 302 or 303 redirect then goes on as a GET, as browsers do). */
  body?: RequestBody;
  /** The request's own headers (a definition's), which the browser sends on top of its own. */
  extraHeaders?: Record<string, string>;
  /** Values filled in from the environment: what is recorded of the request shows `***` instead. */
  secrets?: readonly string[];
  /** Where the browser's actions read `{{ secret.NAME }}`. */
  secretSource?: SecretSource | undefined;
  /** Aborting it fails the attempt at once with `aborted`. */
  signal?: AbortSignal;
  /** Statuses besides 2xx that resolve instead of failing with `http_NNN`. */
  acceptStatuses?: readonly number[];
  /**
   * Called before every hop (the first request and each redirect); politeness goes here. Its time
   * does not count against the deadline. A rejection ends the attempt with that error; nothing
   * returned means go at once.
   */
  beforeHop?(url: string, signal: AbortSignal | undefined): Promise<void> | undefined;
  /** Called with every response status received, redirects included. */
  onHop?(url: string, status: number, retryAfterMs: number | undefined): void;
  /** The browser tells which proxy (`scheme://host:port`) its page went through. */
  viaProxy?(id: string): void;
}

/** The outcome of an attempt: a response without the retry count (the retrier owns that). */
export type AttemptResult = Omit<FetchResponse, "retries">;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Redirects after which a POST goes on as a GET without its body; 307 and 308 keep both. */
const TO_GET_STATUSES: ReadonlySet<number> = new Set([301, 302, 303]);

/**
 * Performs one GET of `url` (absolute http(s)), or a POST of `options.body`, through `dispatcher`,
 * following redirects. Rejects
 * with a {@link FetchError}: `timeout`, `too_large`, `redirect_limit`, `bad_url` (redirect to a
 * non-http URL), `http_NNN` (with `retryAfterMs` from `Retry-After`), `aborted`, or a network
 * reason from {@link toFetchError}.
 */
export async function fetchOnce(
  dispatcher: Dispatcher,
  url: string,
  options: AttemptOptions,
): Promise<AttemptResult> {
  let current = url;
  let body = options.body;
  let spentMs = 0;
  /** The hops so far, kept only once a redirect happens: they tell a loop from a long chain. */
  let chain: string[] | undefined;
  for (let redirects = 0; ; redirects++) {
    const politeness = options.beforeHop?.(current, options.signal);
    if (politeness) await politeness;
    const started = Date.now();
    const hop = await requestHop(dispatcher, current, body, options, options.timeoutMs - spentMs);
    spentMs += Date.now() - started;
    if (hop.kind === "page") return { ...hop.page, url, redirects, latencyMs: spentMs };
    const next = resolveRedirect(hop.location, current);
    if (TO_GET_STATUSES.has(hop.status)) body = undefined;
    (chain ??= [url]).push(next);
    if (redirects >= options.maxRedirects) throw redirectLimit(url, chain, options.maxRedirects);
    current = next;
  }
}

/**
 * The `redirect_limit` error, saying whether the chain went round in a loop (a URL came back) or
 * was just longer than `max_redirects` allows.
 */
function redirectLimit(url: string, chain: string[], maxRedirects: number): FetchError {
  const last = chain.at(-1)!;
  const from = chain.at(-2)!;
  if (chain.indexOf(last) === chain.length - 1) {
    return new FetchError(
      "redirect_limit",
      `more than ${maxRedirects} redirects for ${url} (max_redirects), the last to ${last}`,
      { url, retryable: false },
    );
  }
  const back = from === last ? "itself" : `${last}, an earlier hop`;
  const message = `redirect loop for ${url}: ${from} redirects back to ${back}; gave up after ${maxRedirects} redirects, max_redirects`;
  return new FetchError("redirect_limit", message, { url, retryable: false });
}

function resolveRedirect(location: string, from: string): string {
  let next: URL | undefined;
  try {
    next = new URL(location, from);
  } catch {
    next = undefined;
  }
  if (!next || (next.protocol !== "http:" && next.protocol !== "https:")) {
    throw new FetchError("bad_url", `redirect from ${from} to unsupported URL "${location}"`, {
      url: from,
      retryable: false,
    });
  }
  next.hash = "";
  return next.href;
}

type Hop =
  | { kind: "redirect"; status: number; location: string }
  | { kind: "page"; page: Omit<AttemptResult, "url" | "redirects" | "latencyMs"> };

/** One request/response, under its own share of the deadline and the caller's signal. */
async function requestHop(
  dispatcher: Dispatcher,
  url: string,
  body: RequestBody | undefined,
  options: AttemptOptions,
  budgetMs: number,
): Promise<Hop> {
  const response = await dispatchHop(
    dispatcher,
    url,
    {
      headers: body ? withContentType(options.headers, body) : options.headers,
      body: body?.text,
      maxBodyBytes: options.maxBodyBytes,
      signal: options.signal,
      wantsBody: (status, headers) =>
        !(REDIRECT_STATUSES.has(status) && headers.location !== undefined) &&
        ((status >= 200 && status <= 299) || (options.acceptStatuses?.includes(status) ?? false)),
    },
    budgetMs,
  );
  const { status, headers } = response;
  const retryAfterMs = parseRetryAfter(headers["retry-after"], Date.now());
  options.onHop?.(url, status, retryAfterMs);
  if (REDIRECT_STATUSES.has(status) && headers.location !== undefined) {
    return { kind: "redirect", status, location: headers.location };
  }
  if ((status < 200 || status > 299) && !options.acceptStatuses?.includes(status)) {
    throw httpStatusError(status, url, retryAfterMs);
  }
  const decoded = decodeBody(gunzipFile(response.body, options.maxBodyBytes, url), headers["content-type"]);
  return {
    kind: "page",
    page: {
      finalUrl: url,
      status,
      headers,
      body: decoded.text,
      bytes: response.body.length,
      encoding: decoded.encoding,
      invalidBytes: decoded.invalidBytes,
    },
  };
}

/** The headers of a POST: the body's `Content-Type`, unless the request's headers name one. */
function withContentType(headers: Record<string, string>, body: RequestBody): Record<string, string> {
  if (Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) return headers;
  return { ...headers, "content-type": REQUEST_BODY_TYPES[body.type] };
}
