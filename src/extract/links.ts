import type { CheerioAPI } from "cheerio/slim";
import { resolveUrl } from "./convert.ts";

/**
 * A rule that turns elements of a page into links to crawl as page type `page`.
 *
 * - `{ css, page, attr? }`: the `attr` (default `href`) of every element matching `css`.
 * - `{ pattern, page }`: every `<a href>` of the page whose absolute URL matches the regex.
 * - Both: the elements matching `css` whose absolute URL also matches `pattern`.
 */
export interface FollowRule {
  css?: string;
  pattern?: string;
  page: string;
  /** @defaultValue "href" */
  attr?: string;
}

/** A link found by a follow rule: absolute, not deduplicated, fragment kept. */
export interface FoundLink {
  url: string;
  page: string;
}

/**
 * The base for relative URLs of a document: its first `<base href>` resolved against the final
 * URL, else the final URL itself. An unusable `<base href>` is ignored, as browsers do.
 */
export function documentBaseUrl($: CheerioAPI, finalUrl: string): string {
  const href = $("base[href]").first().attr("href");
  if (href === undefined) return finalUrl;
  return resolveUrl(href, finalUrl) ?? finalUrl;
}

/** A serialised URL starts with its scheme, lower-cased: no second parse to read the protocol. */
const CRAWLABLE = /^https?:/;

function absoluteHttpUrl(raw: string | undefined, base: string): string | null {
  if (raw === undefined || raw.trim() === "") return null;
  const url = resolveUrl(raw, base);
  return url !== null && CRAWLABLE.test(url) ? url : null;
}

/**
 * Applies follow rules to a page, in rule order then document order.
 *
 * Only `http:`/`https:` URLs are returned (`mailto:`, `javascript:`, empty `href` are skipped).
 * Duplicates are kept: the engine normalises and deduplicates.
 *
 * @param found - When given, `found[offset + i]` goes up by the links rule `i` found (selector health).
 */
export function extractLinks(
  $: CheerioAPI,
  rules: readonly FollowRule[],
  baseUrl: string,
  found?: number[],
  offset = 0,
): FoundLink[] {
  const links: FoundLink[] = [];
  rules.forEach((rule, i) => {
    const before = links.length;
    const pattern = rule.pattern === undefined ? null : new RegExp(rule.pattern);
    const attr = rule.attr ?? "href";
    const selector = rule.css ?? "a[href]";
    for (const node of $(selector).toArray()) {
      const url = absoluteHttpUrl($(node).attr(attr), baseUrl);
      if (url !== null && (pattern === null || pattern.test(url))) links.push({ url, page: rule.page });
    }
    if (found) found[offset + i]! += links.length - before;
  });
  return links;
}
