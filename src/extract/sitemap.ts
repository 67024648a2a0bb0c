/**
 * Sitemaps (sitemaps.org): a `<urlset>` lists pages (`<url><loc>`, `<lastmod>`), a
 * `<sitemapindex>` lists more sitemaps (`<sitemap><loc>`); robots.txt names sitemaps on
 * `Sitemap:` lines. Read by XPath on the XML tree of `loadXml`, like `format: xml` pages; names
 * match in any namespace (sitemaps declare `http://www.sitemaps.org/schemas/sitemap/0.9`).
 */
import { resolveUrl } from "./convert.ts";
import { loadXml } from "./load-xml.ts";
import { evaluateXPath } from "./xpath.ts";
import type { AnyNode } from "domhandler";

/** A page a sitemap lists, with its `<lastmod>` when given. */
export interface SitemapEntry {
  url: string;
  lastmod?: string;
}

/** What one sitemap document (or robots.txt) lists. */
export interface SitemapContents {
  /** Further sitemaps: a sitemap index's `<sitemap><loc>`, or robots.txt's `Sitemap:` lines. */
  sitemaps: string[];
  /** Pages of a `<urlset>`. */
  pages: SitemapEntry[];
}

const text = (value: unknown): string => (typeof value === "string" ? value.trim() : "");

/** Absolute http(s) URL of `raw` against `base`, or null. */
function absolute(raw: string, base: string): string | null {
  const url = raw === "" ? null : resolveUrl(raw, base);
  return url !== null && /^https?:/.test(url) ? url : null;
}

function fromXml(body: string, base: string): SitemapContents {
  const root = loadXml(body).root()[0]! as AnyNode;
  const locs = (expression: string) => {
    const found = evaluateXPath(expression, root);
    return Array.isArray(found) ? found.flatMap((item) => ("node" in item ? [item.node] : [])) : [];
  };
  const sitemaps = locs("/sitemapindex/sitemap").flatMap(
    (node) => absolute(text(evaluateXPath("string(loc)", node)), base) ?? [],
  );
  const pages = locs("/urlset/url").flatMap((node): SitemapEntry[] => {
    const url = absolute(text(evaluateXPath("string(loc)", node)), base);
    if (url === null) return [];
    const lastmod = text(evaluateXPath("string(lastmod)", node));
    return [lastmod === "" ? { url } : { url, lastmod }];
  });
  return { sitemaps, pages };
}

/** robots.txt's `Sitemap:` lines (any case, anywhere in the file, as the robots.txt RFC 9309 says). */
function fromRobots(body: string, base: string): SitemapContents {
  const sitemaps = [...body.matchAll(/^[ \t]*sitemap[ \t]*:[ \t]*(\S+)/gim)].flatMap(
    (match) => absolute(match[1]!, base) ?? [],
  );
  return { sitemaps, pages: [] };
}

/**
 * What a sitemap document lists: XML (a urlset or a sitemap index; gzipped ones arrive unzipped
 * from the fetcher), or robots.txt's `Sitemap:` lines when the body is not XML. URLs resolve
 * against `baseUrl` (the document's final URL); what is not http(s) is dropped.
 */
export function readSitemap(body: string, baseUrl: string): SitemapContents {
  return /^\s*</.test(body) ? fromXml(body, baseUrl) : fromRobots(body, baseUrl);
}
