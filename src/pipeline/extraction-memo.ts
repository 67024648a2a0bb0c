/**
 * What a revisit reuses instead of parsing (`cache: revalidate`): the extraction of a page whose
 * body was kept, under a key naming everything the extraction depends on. A 304 gives back the
 * same body, so under the same key the page would yield the same records and links: the parse is
 * skipped and only what follows it (warnings logged, records and links stored) runs again.
 */
import { createHash } from "node:crypto";
import { TRAWL_VERSION } from "../core/index.ts";
import type { Extraction, PageInput } from "./types.ts";

/** Where extractions are kept between runs, per URL (the app keeps them beside the kept page). */
export interface ExtractionMemo {
  /** The extraction kept for `url` under `key` (JSON text), if any. */
  get(url: string, key: string): Promise<string | undefined>;
  /** Keeps `url`'s extraction under `key`, replacing any other. */
  keep(url: string, key: string, extraction: string): Promise<void>;
}

/**
 * A body `cache: revalidate` kept: its SHA-256 and, when the fetcher left it unread (the page's
 * `body` is empty then), how to read it: a page whose extraction was kept is never read at all.
 */
export interface KeptBody {
  sha256: string;
  read?: () => Promise<string>;
}

/**
 * The key of a page's extraction: the definition (its hash), trawl's version (extraction code
 * may change with it), the page type and every input of the parse, the body by its SHA-256. The
 * depth is left out: no extraction reads it (links get theirs from the request), and a page may
 * be reached at another depth on the next run.
 */
export function extractionKey(definitionHash: string, input: PageInput, bodySha256: string): string {
  const { body: _body, depth: _depth, ...rest } = input;
  const inputs = JSON.stringify([definitionHash, TRAWL_VERSION, bodySha256, rest]);
  return createHash("sha256").update(inputs).digest("hex");
}

/** An extraction as kept (JSON: records and links are stored as JSON anyway). */
export function keptExtraction(extraction: Extraction): string {
  return JSON.stringify(extraction);
}

/** An extraction from its kept text. */
export function reusedExtraction(text: string): Extraction {
  return JSON.parse(text) as Extraction;
}
