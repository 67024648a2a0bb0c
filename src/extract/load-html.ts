import { load } from "cheerio/slim";
import type { CheerioAPI } from "cheerio/slim";

export type { CheerioAPI };

/**
 * Parses an HTML document with cheerio's htmlparser2 backend (`cheerio/slim`).
 *
 * htmlparser2 is several times faster than parse5 and never throws: malformed markup (unclosed
 * tags, stray end tags, bad entities) is repaired the same way on every call, so extraction from
 * the same bytes is deterministic. Entities are decoded.
 *
 * @param html - The page body; an empty string gives an empty document.
 */
export function loadHtml(html: string): CheerioAPI {
  return load(html, { xml: false });
}
