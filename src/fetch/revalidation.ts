/**
 * `cache: revalidate`: a GET of a page stored before goes out with its validators
 * (`If-None-Match`, `If-Modified-Since`); a 304 answer is the stored page again, so a revisit
 * costs headers only and its records are a full run's.
 */
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

/** The stored page a 304 stands for, or `undefined` when its body is gone. */
export async function reusedPage(
  cached: CachedPage,
  answer: AttemptResult,
): Promise<AttemptResult | undefined> {
  const body = await cached.body();
  if (body === undefined) return undefined;
  return {
    ...answer,
    status: 200,
    finalUrl: cached.finalUrl,
    headers: cached.headers,
    body,
    encoding: "utf-8",
    invalidBytes: 0,
    notModified: true,
    bodySha256: cached.bodySha256,
  };
}

/** Whether a response is kept: a 200 that carries a validator. */
export function worthKeeping(page: AttemptResult): boolean {
  return (
    page.status === 200 && (page.headers.etag !== undefined || page.headers["last-modified"] !== undefined)
  );
}
