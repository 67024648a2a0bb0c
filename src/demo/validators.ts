/**
 * Validators of the demo site's pages, so `cache: revalidate` has something to revalidate: every
 * `200` carries an `ETag`, the hash of its body, and a conditional GET naming it is answered
 * `304 Not Modified`. A hash of the body, not of the path and the seed, so a page whose content
 * changes (another seed, `faults`, a newer trawl) gets a new tag by itself.
 */
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import fresh from "fresh";

/** The strong entity tag of a body. */
export function entityTag(body: Buffer): string {
  return `"${createHash("sha1").update(body).digest("base64url")}"`;
}

/**
 * Whether a request may be answered `304`: its `If-None-Match` names `etag` (weak comparison, a
 * list or `*`, and `Cache-Control: no-cache` asking for the page anyway, as the `fresh` package
 * reads them).
 */
export function isNotModified(requestHeaders: IncomingHttpHeaders, etag: string): boolean {
  return fresh(requestHeaders, { etag });
}
