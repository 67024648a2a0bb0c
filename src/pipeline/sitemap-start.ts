/**
 * Targets that start from a sitemap: `start: { sitemap: URL, pattern?, page? }`.
 *
 * Each sitemap start becomes an internal page type (`sitemap:<target>:<n>`, a name no page type
 * of the definition can have) whose requests are the sitemap documents: the start URL, then the
 * child sitemaps of an index or robots.txt's `Sitemap:` lines, as links of that same type. Its
 * pages' URLs are links to `page`, carrying their `<lastmod>`. So sitemap documents are queued,
 * fetched (robots, rate limit, retries, reason codes) and finished in one transaction with the
 * links they found like any page, and a crawl resumed after `kill -9` picks up exactly where it
 * stopped: no sitemap is read twice, none is skipped, and `lastmod` travels in the queue.
 */
import { z } from "zod";
import { readSitemap } from "../extract/index.ts";
import type { CompiledPage, DiscoveredLink, PageInput, SitemapStart } from "./types.ts";
import { httpUrlSchema, pageNameSchema, regexSchema } from "./schema-primitives.ts";

/**
 * `{ sitemap: URL, pattern?, page? }`: the pages a sitemap lists (following sitemap indexes;
 * gzipped ones too). A site root (`https://example.com/`) or a robots.txt URL reads the sitemaps
 * its robots.txt names on `Sitemap:` lines.
 */
export const sitemapStartSchema = z.strictObject({
  sitemap: httpUrlSchema,
  /** Keep only page URLs this regular expression matches (anywhere in the URL). */
  pattern: regexSchema.optional(),
  /** The page type of the pages found. @defaultValue the first page type */
  page: pageNameSchema.optional(),
});

/** A sitemap start of the definition, as the schema accepted it. */
export type SitemapStartEntry = z.output<typeof sitemapStartSchema>;

/** The document a sitemap start fetches first: robots.txt for a site root, else the URL itself. */
export function firstSitemapDocument(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === "/" && parsed.search === "") return new URL("/robots.txt", parsed).href;
  return url;
}

/**
 * Splits a target's `start:` into its sitemap starts (compiled) and the other entries.
 *
 * @param defaultPage - The page type of pages found when a start names none (the first one).
 */
export function splitSitemapStarts<T>(
  target: string,
  start: T | T[],
  defaultPage: string,
): { others: Exclude<T, SitemapStartEntry>[]; sitemaps: SitemapStart[] } {
  const others: Exclude<T, SitemapStartEntry>[] = [];
  const sitemaps: SitemapStart[] = [];
  for (const entry of Array.isArray(start) ? start : [start]) {
    if (!isSitemapStart(entry)) others.push(entry as Exclude<T, SitemapStartEntry>);
    else
      sitemaps.push({
        url: firstSitemapDocument(entry.sitemap),
        pageType: `sitemap:${target}:${sitemaps.length + 1}`,
        page: entry.page ?? defaultPage,
        ...(entry.pattern !== undefined && { pattern: entry.pattern }),
      });
  }
  return { others, sitemaps };
}

/** The internal page type reading the sitemap documents of a start. */
export function sitemapPage(start: SitemapStart): CompiledPage {
  const { pageType: name, page } = start;
  const pattern = start.pattern === undefined ? null : new RegExp(start.pattern);
  return {
    name,
    yieldsRecords: false,
    parse(input: PageInput) {
      const { sitemaps, pages } = readSitemap(input.body, input.finalUrl);
      const links: DiscoveredLink[] = sitemaps.map((url) => ({ url, page: name }));
      for (const entry of pages) {
        if (pattern !== null && !pattern.test(entry.url)) continue;
        links.push({ url: entry.url, page, ...(entry.lastmod !== undefined && { lastmod: entry.lastmod }) });
      }
      return { records: [], links };
    },
  };
}

/** Whether a `start:` entry is a sitemap start. */
export function isSitemapStart(entry: unknown): entry is SitemapStartEntry {
  return typeof entry === "object" && entry !== null && "sitemap" in entry;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Reports a sitemap start whose `page` names no page type of the definition (trusts nothing it reads). */
export function checkSitemapPages(
  def: Record<string, unknown>,
  pageNames: string[],
  ctx: z.RefinementCtx,
): void {
  const starts: { path: (string | number)[]; start: unknown }[] = [{ path: ["start"], start: def.start }];
  asList(def.targets).forEach((target, i) => {
    if (typeof target === "object" && target !== null)
      starts.push({ path: ["targets", i, "start"], start: (target as { start?: unknown }).start });
  });
  for (const { path, start } of starts) {
    const list = asList(start);
    list.forEach((entry, i) => {
      if (!isSitemapStart(entry) || typeof entry.page !== "string" || pageNames.includes(entry.page)) return;
      const message = `unknown page type "${entry.page}" (pages: ${pageNames.join(", ")})`;
      ctx.addIssue({
        code: "custom",
        path: [...path, ...(Array.isArray(start) ? [i] : []), "page"],
        message,
      });
    });
  }
}

/** The internal page types of the targets' sitemap starts, by name. */
export function sitemapPages(
  targets: readonly { sitemaps?: SitemapStart[] }[],
): Record<string, CompiledPage> {
  const starts = targets.flatMap((target) => target.sitemaps ?? []);
  return Object.fromEntries(starts.map((start) => [start.pageType, sitemapPage(start)]));
}
