import type { CheerioAPI } from "cheerio/slim";
import { compile, selectAll } from "css-select";
import { isTraversal, parse, type Selector } from "css-what";
import type { AnyNode, Element } from "domhandler";
import type { RequestBody } from "../core/index.ts";
import { resolveUrl } from "./convert.ts";
import { followBody, type FollowPost } from "./follow-body.ts";
import { evaluateXPath } from "./xpath.ts";

/**
 * A rule that turns elements of a page into links to crawl as page type `page`.
 *
 * - `{ css, page, attr? }`: the `attr` (default `href`) of every element matching `css`.
 * - `{ pattern, page }`: every `<a href>` of the page whose absolute URL matches the regex.
 * - Both: the elements matching `css` whose absolute URL also matches `pattern`.
 * - `{ xpath, page, attr? }` instead of `css`: the `attr` of the elements it selects, or the
 *   value of the attribute or text nodes it selects (`//a[@rel='next']/@href`).
 * - `{ json, page }` (JSON pages): the strings the JSONPath selects.
 * - `{ template, page }`: the next page of a numbered series (see `templateLinks`); the
 *   other extractors skip these rules.
 * - Any of them with `method: POST` (and `form` or `body_json`): the links are POSTed that body.
 */
export interface FollowRule extends FollowPost {
  css?: string;
  xpath?: string;
  json?: string;
  /** A URL with `{page}`, relative to the page's URL: pagination by page number. */
  template?: string;
  pattern?: string;
  page: string;
  /** @defaultValue "href" */
  attr?: string;
}

/** A link found by a follow rule: absolute, not deduplicated, fragment kept. */
export interface FoundLink {
  url: string;
  page: string;
  /** The POST body of a rule with `method: POST`; absent: a GET. */
  body?: RequestBody;
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

/**
 * A root-relative path the URL parser keeps exactly as written: printable ASCII it neither
 * percent-encodes nor rewrites (no space, `"`, `<`, `>`, `` ` ``, `{`, `}`, `?`, `#` or `\`), not
 * protocol-relative (`//`), with no dot segment (`/.`, also encoded as `%2e`).
 */
const PLAIN_PATH = /^\/(?!\/)[\w\-.~!$&'()*+,;=:@%/^|[\]]*$/;
const DOT_SEGMENT = /\/\.|%2e/i;

/** `scheme://authority` of the last base seen (a page's links share it), or null if not http(s). */
let lastBase: string | undefined;
let lastPrefix: string | null = null;

function authorityPrefix(base: string): string | null {
  if (base !== lastBase) {
    lastBase = base;
    const href = resolveUrl(base, base);
    const afterScheme = href === null || !CRAWLABLE.test(href) ? -1 : href.indexOf("//") + 2;
    lastPrefix = afterScheme < 2 ? null : href!.slice(0, href!.indexOf("/", afterScheme));
  }
  return lastPrefix;
}

function absoluteHttpUrl(raw: string | undefined, base: string): string | null {
  if (raw === undefined || raw.trim() === "") return null;
  // Most links of a site are plain root-relative paths: they need no URL parse (one per link
  // was a tenth of a parse thread's time on a page with 40 links).
  if (PLAIN_PATH.test(raw) && !DOT_SEGMENT.test(raw)) {
    const prefix = authorityPrefix(base);
    if (prefix !== null) return prefix + raw;
  }
  const url = resolveUrl(raw, base);
  return url !== null && CRAWLABLE.test(url) ? url : null;
}

type CompiledQuery = ReturnType<typeof compile<AnyNode, Element>>;

/** Compiled follow selectors by text; null: one that cheerio must run (see {@link compiledSelector}). */
const compiled = new Map<string, CompiledQuery | null>();
const MAX_COMPILED = 256;

function plainSelector(selector: Selector[]): boolean {
  const first = selector[0];
  return (
    first !== undefined &&
    !isTraversal(first) &&
    selector.every((t) => t.type !== "pseudo" && t.type !== "pseudo-element")
  );
}

/**
 * The selector compiled once, when the whole document search of css-select gives exactly what
 * `$(selector)` gives (no pseudo-class: cheerio adds positional ones like `:first`; no selector
 * relative to a context); else null. cheerio parses and compiles a selector on every call, which
 * on a page with ~40 links cost more than matching it.
 */
function compiledSelector(selector: string): CompiledQuery | null {
  let query = compiled.get(selector);
  if (query !== undefined) return query;
  try {
    const parsed = parse(selector);
    query = parsed.every(plainSelector) ? compile<AnyNode, Element>(parsed, { xmlMode: false }) : null;
  } catch {
    query = null; // cheerio reports it
  }
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(selector, query);
  return query;
}

/** What `$(selector)` matches, in document order. */
function selectFromRoot($: CheerioAPI, selector: string): AnyNode[] {
  const query = compiledSelector(selector);
  return query === null ? $(selector).toArray() : selectAll<AnyNode, Element>(query, $.root().toArray());
}

/** The raw links an XPath follow rule selects: `attr` of elements, the value of other nodes. */
function xpathLinks($: CheerioAPI, expression: string, attr: string): (string | undefined)[] {
  const value = evaluateXPath(expression, $.root()[0]!);
  if (!Array.isArray(value)) return typeof value === "string" ? [value] : [];
  return value.map((item) => ("node" in item ? $(item.node).attr(attr) : item.text));
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
    if (rule.template !== undefined) return;
    const before = links.length;
    const pattern = rule.pattern === undefined ? null : new RegExp(rule.pattern);
    const attr = rule.attr ?? "href";
    const body = followBody(rule);
    const add = (raw: string | undefined) => {
      const url = absoluteHttpUrl(raw, baseUrl);
      if (url !== null && (pattern === null || pattern.test(url)))
        links.push(body ? { url, page: rule.page, body } : { url, page: rule.page });
    };
    if (rule.xpath !== undefined) xpathLinks($, rule.xpath, attr).forEach(add);
    else for (const node of selectFromRoot($, rule.css ?? "a[href]")) add($(node).attr(attr));
    if (found) found[offset + i]! += links.length - before;
  });
  return links;
}
