/**
 * A record's source page as the store keeps it: the URL of the request that produced the record,
 * and for a POST a NUL and a digest of its body, since two POSTs to one URL (a search form asked
 * twice) are two pages. The records API shows only the URL; the source-page lookup reads both.
 */
import { createHash } from "node:crypto";
import type { RequestBody } from "../core/index.ts";

/** A stored record source, split (see {@link parseRecordSource}). */
export interface RecordSource {
  url: string;
  /** The {@link requestBodyDigest} of the POST that produced the record; absent for a GET. */
  bodyDigest?: string;
}

/** 16 hex digits of SHA-256 over a POST body's type and text: what tells POSTs to one URL apart. */
export function requestBodyDigest(body: RequestBody): string {
  return createHash("sha256").update(`${body.type}\u0000${body.text}`).digest("hex").slice(0, 16);
}

/** Splits a stored source: `url`, or `url` NUL digest for a POST's record. */
export function parseRecordSource(source: string): RecordSource {
  const cut = source.indexOf("\u0000");
  return cut < 0 ? { url: source } : { url: source.slice(0, cut), bodyDigest: source.slice(cut + 1) };
}
