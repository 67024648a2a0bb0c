import type { FieldType } from "./convert.ts";

/** Page facts a field can read with `from:` instead of a selector. */
export type FieldSource = "url" | "final_url" | "status" | "target" | "page_type" | "lastmod";

/** All `from:` sources (`lastmod`: the `<lastmod>` of the sitemap that listed the page). */
export const FIELD_SOURCES: readonly FieldSource[] = [
  "url",
  "final_url",
  "status",
  "target",
  "page_type",
  "lastmod",
];

/** The long form of a field. */
export interface FieldOptions {
  /** CSS selector, relative to the scope (the document, or the `records.each` element). Without
   * `css`, `xpath`, `json` and `from`, the scope element itself is read. */
  css?: string;
  /**
   * XPath 1.0 expression instead of `css` (HTML pages), evaluated with the scope as context node
   * (`.//x` is relative to it, `//x` searches the document). It may select elements (read as with
   * `css`: text or `attr`), text or attribute nodes (`//h1/text()`, `//a/@href`: their value), or
   * compute a value (`normalize-space(//h1)`, `count(//li)`).
   */
  xpath?: string;
  /**
   * JSONPath (RFC 9535) for `format: json` page types, relative to the scope (`$` is the whole
   * body, or the `records.each` item). Strings, numbers, booleans, objects and arrays are kept as
   * they are unless `type` or `regex` is given; JSON `null` counts as missing.
   */
  json?: string;
  /** Read this attribute instead of the text. */
  attr?: string;
  /** A list of values, one per match, instead of the first match. @defaultValue false */
  all?: boolean;
  /** @defaultValue "string" */
  type?: FieldType;
  /** Applied to the raw text before conversion: the first capture group, else the whole match. */
  regex?: string;
  /** Value when the element, attribute or regex match is missing. @defaultValue null */
  default?: unknown;
  /** Trim whitespace of the raw text. @defaultValue true */
  trim?: boolean;
  /** Read a fact of the page instead of its HTML. */
  from?: FieldSource;
}

/**
 * What `records.each` selects: a bare CSS selector, or one of `{ css }`, `{ xpath }` (HTML pages)
 * and `{ json }` (JSON pages).
 */
export type EachSpec = string | { css?: string; xpath?: string; json?: string };

/** A field: a bare CSS selector (trimmed text of the first match) or the long form. */
export type FieldSpec = string | FieldOptions;

/** Named fields of a record. */
export type FieldMap = Record<string, FieldSpec>;

/** Where a page's fields are read from. */
export interface PageFacts {
  url: string;
  finalUrl: string;
  status: number;
  target: string;
  pageType: string;
  /** Base for relative URLs: the `<base href>` if any, else `finalUrl`. */
  baseUrl: string;
  /** The `<lastmod>` of the sitemap entry that listed the page, if any. */
  lastmod?: string;
}
