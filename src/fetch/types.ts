import type { RequestBody } from "../core/index.ts";
import type { BrowserLoad } from "./settings.ts";

/**
 * The contract between the engine and whatever fetches pages. The engine only sees `Fetcher`;
 * HTTP (undici) now, a browser later.
 */

/** Why a request failed; stable strings shown to users and stored with the request. */
export type ReasonCode =
  | "timeout"
  | "too_large"
  | "redirect_limit"
  | "dns"
  | "refused"
  | "reset"
  | "truncated"
  | "robots"
  | "bad_url"
  | "url_too_long"
  | "unsupported_content"
  | "decode"
  | "aborted"
  | "network"
  /** A browser page action failed (its selector never appeared, …). */
  | "action"
  /** The browser's login sequence failed. */
  | "login"
  /** Replay: the recording has no response for this URL. */
  | "not_recorded"
  /** The proxy could not be reached: it refused the connection, or its name did not resolve. */
  | "proxy_refused"
  /** The proxy asked for credentials (407): none were given, or it refused them. */
  | "proxy_auth"
  /** The proxy answered its tunnel request with an error (it could not reach the site, it refused the host). */
  | "proxy_error"
  | `http_${number}`;

/** One page to fetch. */
export interface FetchRequest {
  url: string;
  /** Sent as a POST with this body (over HTTP only); absent: a GET. */
  body?: RequestBody;
  headers?: Record<string, string>;
  /** Aborting it ends the request at once with reason `aborted` (cancel). */
  signal?: AbortSignal;
  /** Load the page in the browser, this way, instead of over HTTP. */
  browser?: BrowserLoad;
  /**
   * For a caller that may not need the body of a page `cache: revalidate` kept (it kept what the
   * body yields): a 304 leaves the stored body unread, `body` empty and `readKeptBody` set.
   * Ignored while recording (the recording needs the body).
   */
  keptBodyOnDemand?: boolean;
}

/** A fetched page, decoded to text. */
export interface FetchResponse {
  /** The URL asked for. */
  url: string;
  /** The URL after redirects. */
  finalUrl: string;
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  /** Bytes received after decompression. */
  bytes: number;
  /** Charset used to decode, e.g. `utf-8`, `windows-1252`. */
  encoding: string;
  /** Bytes that could not be decoded in that charset (replaced by U+FFFD). */
  invalidBytes: number;
  redirects: number;
  /** Attempts beyond the first. */
  retries: number;
  /** Milliseconds from the start of the last attempt to the end of its body. */
  latencyMs: number;
  /** The site answered 304 (`cache: revalidate`): the body is the one stored by an earlier run. */
  notModified?: boolean;
  /**
   * The SHA-256 of the body as `cache: revalidate` keeps it, when it kept or reused this page: the
   * same value on a later 304 means the same body (what it yielded may be reused).
   */
  bodySha256?: string;
  /** Reads the stored body a 304 left unread (`keptBodyOnDemand`); `body` is empty then. */
  readKeptBody?: () => Promise<string>;
}

/** What the engine learns about every single attempt, for stats. */
export interface AttemptInfo {
  url: string;
  host: string;
  status?: number;
  reason?: ReasonCode;
  bytes: number;
  latencyMs: number;
  /** 0 for the first attempt of a request. */
  attempt: number;
  /** Answered 304: a stored page was reused (`cache: revalidate`). */
  notModified?: boolean;
}

/** Fetches pages; implementations own pools, politeness and retries. */
export interface Fetcher {
  /**
   * Fetches one page, with politeness (rate limit, robots.txt) and retries applied.
   * Resolves for 2xx (and for other statuses the caller accepted); rejects with a `FetchError`
   * carrying a `ReasonCode` otherwise.
   */
  fetch(request: FetchRequest): Promise<FetchResponse>;
  /** Closes pools and sockets. */
  close(): Promise<void>;
  /** The politeness state per host, when the fetcher keeps one. */
  hostStats?(): HostRateStats[];
  /** What each proxy did, when the fetcher goes through proxies. */
  proxyStats?(): ProxyStats[];
}

/** What one proxy did in a run; it is named `scheme://host:port`, never with its credentials. */
export interface ProxyStats {
  proxy: string;
  /** Attempts sent through it. */
  requests: number;
  /** Failed attempts through it, by reason (`proxy_refused`, `http_403`, …). */
  failures: Record<string, number>;
  /** Set once it was retired: why (its last failure); no request goes through it any more. */
  retired?: string;
}

/** What the rate limiter knows about one host. */
export interface HostRateStats {
  host: string;
  /** Current requests/second. */
  rate: number;
  /** The most it goes up to. */
  maxRate: number;
  /** Tokens granted so far. */
  requests: number;
  /** 429/503 responses seen. */
  throttled: number;
  /** Milliseconds the host has been blocked by `Retry-After` so far (a running block counted to its end). */
  blockedMs: number;
  /** Epoch ms until which the host is blocked by `Retry-After`, or `null`. */
  blockedUntil: number | null;
}

/** What a fetcher captures (see {@link CaptureSink}). */
export type FetchCapture =
  /** What the crawl got for a request (a browser page: the DOM after its actions), or how it failed. */
  | {
      kind: "page";
      at: number;
      url: string;
      engine: "http" | "browser";
      /** A browser page: how it was loaded (`loadKey`: wait_for, wait_until, actions). */
      load?: string;
      /** A POST: the body it sent. */
      request?: RequestBody;
      finalUrl?: string;
      status?: number;
      headers?: Record<string, string>;
      body?: string;
      /** Set when the request failed: replay fails it the same way. */
      error?: { reason: ReasonCode; message: string; status?: number };
    }
  /** A network response of a browser page. */
  | {
      kind: "response";
      at: number;
      url: string;
      pageUrl: string;
      method: string;
      status: number;
      statusText: string;
      headers: Record<string, string>;
      requestHeaders: Record<string, string>;
      resourceType: string;
      /** null when the browser kept no body (redirects, aborted loads). */
      body: Buffer | null;
      /** Milliseconds from the request to the end of the response. */
      durationMs: number;
    }
  /** A browser action done on a page, with a screenshot of its result when recording. */
  | {
      kind: "action";
      at: number;
      pageUrl: string;
      /** As written, templates unresolved. */
      action: string;
      durationMs: number;
      error?: string;
      screenshot?: Buffer;
    }
  | {
      kind: "screenshot";
      at: number;
      pageUrl: string;
      image: Buffer;
      reason: "failed" | "page";
      error?: string;
    };

/** Where a fetcher's captures go, and which it is asked for. */
export interface CaptureSink {
  /** Pages, browser responses, actions and their screenshots (a recorded run). */
  readonly record: boolean;
  /** Browser network responses (recording, or a HAR). */
  readonly network: boolean;
  /** A screenshot of every browser page, not only of failed ones. */
  readonly screenshotAll: boolean;
  /** Stores a capture; the fetcher awaits it before handing the page on, so a crash loses none. */
  add(capture: FetchCapture): Promise<void>;
}
