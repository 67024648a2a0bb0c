import type { FieldType } from "./convert.ts";

/** Page facts a field can read with `from:` instead of a selector. */
export type FieldSource = "url" | "final_url" | "status" | "target" | "page_type";

/** All `from:` sources. */
export const FIELD_SOURCES: readonly FieldSource[] = ["url", "final_url", "status", "target", "page_type"];

/** The long form of a field. */
export interface FieldOptions {
  /** CSS selector, relative to the scope (the document, or the `records.each` element). Without
   * `css` and `from`, the scope element itself is read. */
  css?: string;
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
}
