/**
 * Pagination by URL template: `{ template: "items?page={page}", page: api }` follows page n + 1
 * from page n, as long as page n yielded records. Pure, so it runs on parse threads too.
 */
import { resolveUrl } from "./convert.ts";
import { followBody } from "./follow-body.ts";
import type { FollowRule, FoundLink } from "./links.ts";

/** The placeholder a template holds exactly once. */
export const PAGE_PLACEHOLDER = "{page}";

/** A number no real page has: where the page number goes once the template is resolved. */
const MARKER = "9876543210123";

/** The absolute URL of page `n` of a template, relative to `base`; `null` when not a URL. */
export function templateUrl(template: string, n: number, base: string): string | null {
  return resolveUrl(template.replace(PAGE_PLACEHOLDER, String(n)), base);
}

/**
 * The page number of `url` under `template` (resolved against `url`), or 0 when the URL is not
 * one of the template's pages (a start URL without the page parameter counts as page 0, so the
 * first page followed is 1).
 */
export function pageNumberOf(template: string, url: string): number {
  const marked = resolveUrl(template.replace(PAGE_PLACEHOLDER, MARKER), url);
  const at = marked?.indexOf(MARKER) ?? -1;
  if (marked === null || at < 0) return 0;
  const prefix = marked.slice(0, at);
  const suffix = marked.slice(at + MARKER.length);
  if (!url.startsWith(prefix) || !url.endsWith(suffix)) return 0;
  const digits = url.slice(prefix.length, url.length - suffix.length);
  return /^\d{1,9}$/.test(digits) ? Number(digits) : 0;
}

/**
 * The links of the `template` rules of a page: the next page's URL for each, when the page
 * yielded at least one record. Other rules are skipped (`extractLinks` and `extractJsonLinks`
 * apply them).
 *
 * @param found - When given, `found[offset + i]` goes up by the links rule `i` found.
 */
export function templateLinks(
  rules: readonly FollowRule[],
  url: string,
  records: number,
  found?: number[],
  offset = 0,
): FoundLink[] {
  const links: FoundLink[] = [];
  if (records === 0) return links;
  rules.forEach((rule, i) => {
    if (rule.template === undefined) return;
    const next = templateUrl(rule.template, pageNumberOf(rule.template, url) + 1, url);
    if (next === null || !/^https?:/.test(next)) return;
    const body = followBody(rule);
    links.push(body ? { url: next, page: rule.page, body } : { url: next, page: rule.page });
    if (found) found[offset + i]! += 1;
  });
  return links;
}
