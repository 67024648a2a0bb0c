/**
 * `cache: revalidate`: a GET of a page stored before goes out with its validators
 * (`If-None-Match`, `If-Modified-Since`); a 304 answer is the stored page again, so a revisit
 * costs headers only and its records are a full run's.
 */
import { FetchError } from "./errors.ts";
import type { AttemptResult } from "./http-attempt.ts";

/** A page kept by an earlier run: its validators and what a 304 stands for. */
export interface CachedPage {
  etag: string | null;
  lastModified: string | null;
  finalUrl: string;
  headers: Record<string, string>;
  /** The stored body's SHA-256: its identity across runs. */
  bodySha256: string;
  /** Reads the stored body; `undefined` when it is gone (the page is then fetched in full). */
  body(): Promise<string | undefined>;
  /** Whether the stored body is there, without reading it. */
  hasBody(): Promise<boolean>;
}

/** Where the fetcher keeps revisited pages (the app wires it to the store and the blob store). */
export interface RevalidationCache {
  lookup(url: string): Promise<CachedPage | undefined>;
  /** Keeps a 200 response of a GET with its validators; resolves to the kept body's SHA-256. */
  save(url: string, page: AttemptResult): Promise<string>;
}

/** The conditional headers of a cached page; none when it has no validators. */
export function conditionalHeaders(cached: CachedPage): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  if (cached.etag) headers["if-none-match"] = cached.etag;
  if (cached.lastModified) headers["if-modified-since"] = cached.lastModified;
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/**
 * The stored page a 304 stands for, or `undefined` when its body is gone. `onDemand`: the body is
 * not read now, only checked to be there; `readKeptBody` reads it.
 */
export async function reusedPage(
  cached: CachedPage,
  answer: AttemptResult,
  onDemand = false,
): Promise<AttemptResult | undefined> {
  const stored = {
    ...answer,
    status: 200,
    finalUrl: cached.finalUrl,
    headers: cached.headers,
    encoding: "utf-8",
    invalidBytes: 0,
    notModified: true,
    bodySha256: cached.bodySha256,
  };
  if (onDemand) {
    if (!(await cached.hasBody())) return undefined;
    return { ...stored, body: "", readKeptBody: () => keptBody(cached) };
  }
  const body = await cached.body();
  return body === undefined ? undefined : { ...stored, body };
}

/** The stored body, read on demand; gone or damaged since it was checked: the request fails. */
async function keptBody(cached: CachedPage): Promise<string> {
  const body = await cached.body();
  if (body !== undefined) return body;
  throw new FetchError("network", `the page kept of ${cached.finalUrl} (cache: revalidate) cannot be read`, {
    url: cached.finalUrl,
  });
}

/** Whether a response is kept: a 200 that carries a validator. */
export function worthKeeping(page: AttemptResult): boolean {
  return (
    page.status === 200 && (page.headers.etag !== undefined || page.headers["last-modified"] !== undefined)
  );
}
