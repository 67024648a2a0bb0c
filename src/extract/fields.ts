import type { Cheerio, CheerioAPI } from "cheerio/slim";
import type { AnyNode } from "domhandler";
import { convertValue } from "./convert.ts";
import { evaluateXPath, type XPathItem } from "./xpath.ts";
import type { EachSpec, FieldMap, FieldOptions, FieldSpec, PageFacts } from "./field-spec.ts";

/** Collects non-fatal problems (failed conversions) while extracting. */
export interface ExtractWarnings {
  /** How many problems were seen (all of them). */
  count: number;
  /** Their descriptions; capped at {@link MAX_WARNING_MESSAGES}. */
  messages: string[];
}

/** Messages kept per page: the count keeps going, the text stops here. */
export const MAX_WARNING_MESSAGES = 20;

/** A fresh, empty warnings collector. */
export function newWarnings(): ExtractWarnings {
  return { count: 0, messages: [] };
}

function warn(warnings: ExtractWarnings, message: string): void {
  warnings.count += 1;
  if (warnings.messages.length < MAX_WARNING_MESSAGES) warnings.messages.push(message);
}

const regexCache = new Map<string, RegExp>();

function compiledRegex(source: string): RegExp {
  let re = regexCache.get(source);
  if (!re) {
    re = new RegExp(source);
    regexCache.set(source, re);
  }
  return re;
}

/** Normalises a bare selector to the long form. */
export function fieldOptions(spec: FieldSpec): FieldOptions {
  return typeof spec === "string" ? { css: spec } : spec;
}

/** Normalises a bare `records.each` selector to the long form. */
export function eachOptions(each: EachSpec): { css?: string; xpath?: string; json?: string } {
  return typeof each === "string" ? { css: each } : each;
}

/** A value not found (before the field's `default`). */
export const MISSING = Symbol("missing");
/** A value read from a page, before `regex` and `type`. */
export type Raw = string | number | typeof MISSING;

/** The page fact a `from:` field reads; MISSING without `from`. */
export function readFact(options: FieldOptions, facts: PageFacts): Raw {
  switch (options.from) {
    case "url":
      return facts.url;
    case "final_url":
      return facts.finalUrl;
    case "status":
      return facts.status;
    case "target":
      return facts.target;
    case "page_type":
      return facts.pageType;
    case "lastmod":
      return facts.lastmod ?? MISSING;
    default:
      return MISSING;
  }
}

/** The text, trimmed unless `trim: false`. */
export function trimmed(value: string, options: FieldOptions): string {
  return options.trim === false ? value : value.trim();
}

function readElement(el: Cheerio<AnyNode>, options: FieldOptions): Raw {
  if (el.length === 0) return MISSING;
  const value = options.attr === undefined ? el.text() : el.attr(options.attr);
  return value === undefined ? MISSING : trimmed(value, options);
}

/** An XPath result item: an element is read as `css` matches are; a text or attribute node gives its text. */
function readXPathItem($: CheerioAPI, item: XPathItem, options: FieldOptions): Raw {
  return "node" in item ? readElement($(item.node), options) : trimmed(item.text, options);
}

/** A field with `xpath`: node results as with `css`; a computed string, number or boolean as is. */
function readXPathField(
  $: CheerioAPI,
  scope: Cheerio<AnyNode>,
  name: string,
  options: FieldOptions,
  facts: PageFacts,
  warnings: ExtractWarnings,
): unknown {
  const context = scope[0];
  if (context === undefined) return MISSING;
  const value = evaluateXPath(options.xpath!, context);
  if (!Array.isArray(value)) {
    const raw = typeof value === "string" ? trimmed(value, options) : value;
    if (typeof raw === "number" && Number.isNaN(raw)) return MISSING;
    const one = finish(name, typeof raw === "boolean" ? String(raw) : raw, options, facts, warnings);
    return options.all === true && one !== MISSING ? [one] : one;
  }
  if (options.all !== true) {
    return value.length === 0
      ? MISSING
      : finish(name, readXPathItem($, value[0]!, options), options, facts, warnings);
  }
  const values = value
    .map((item) => finish(name, readXPathItem($, item, options), options, facts, warnings))
    .filter((v) => v !== MISSING);
  return values.length === 0 ? MISSING : values;
}

/** Applies regex and type to one raw value; MISSING when absent. */
export function finish(
  name: string,
  raw: Raw,
  options: FieldOptions,
  facts: PageFacts,
  warnings: ExtractWarnings,
): unknown {
  if (raw === MISSING) return MISSING;
  if (typeof raw === "number" && options.regex === undefined && (options.type ?? "number") === "number")
    return raw;
  let text = String(raw);
  if (options.regex !== undefined) {
    const match = compiledRegex(options.regex).exec(text);
    if (!match) return MISSING;
    text = match[1] ?? match[0];
  }
  const type = options.type ?? "string";
  if (type === "string") return text;
  if (text.trim() === "") return MISSING;
  const converted = convertValue(text, type, facts.baseUrl);
  if (converted.ok) return converted.value;
  warn(warnings, `field "${name}": ${converted.reason}`);
  return null;
}

/** The field's value, or MISSING when nothing was found (before its `default`). */
function readField(
  $: CheerioAPI,
  scope: Cheerio<AnyNode>,
  name: string,
  options: FieldOptions,
  facts: PageFacts,
  warnings: ExtractWarnings,
): unknown {
  if (options.from !== undefined) return finish(name, readFact(options, facts), options, facts, warnings);
  if (options.xpath !== undefined) return readXPathField($, scope, name, options, facts, warnings);
  if (options.all === true) {
    const matches = options.css === undefined ? scope : scope.find(options.css);
    const values = matches
      .toArray()
      .map((node) => finish(name, readElement($(node), options), options, facts, warnings))
      .filter((v) => v !== MISSING);
    return values.length === 0 ? MISSING : values;
  }
  // The first match only: the search stops there (cheerio's own `extract()` does the same)
  // instead of walking the whole document for every field.
  const first = options.css === undefined ? scope.first() : scope._findBySelector(options.css, 1).first();
  return finish(name, readElement(first, options), options, facts, warnings);
}

/** What a missing field becomes: its `default`, else `null` (`[]` for `all: true`). */
export function fallbackOf(options: FieldOptions): unknown {
  if (options.default !== undefined) return options.default;
  return options.all === true && options.from === undefined ? [] : null;
}

/**
 * Extracts one field.
 *
 * @param scope - The element selectors are relative to (the document root for `record:`).
 * @returns The value; `default` (else `null`) when missing; `null` and a warning when the type
 *   conversion fails; for `all: true` an array (empty, or `default`, when nothing matched).
 */
export function extractField(
  $: CheerioAPI,
  scope: Cheerio<AnyNode>,
  name: string,
  spec: FieldSpec,
  facts: PageFacts,
  warnings: ExtractWarnings,
): unknown {
  const options = fieldOptions(spec);
  const value = readField($, scope, name, options, facts, warnings);
  return value === MISSING ? fallbackOf(options) : value;
}

/**
 * Where a record's fields count their matches (selector health): `counts[slots[i]]` goes up by
 * one when the i-th field (declaration order) found a value; a negative slot is not counted.
 */
export interface FieldHits {
  counts: number[];
  slots: readonly number[];
}

/** Extracts every field of `fields` into one record, in declaration order. */
export function extractRecord(
  $: CheerioAPI,
  scope: Cheerio<AnyNode>,
  fields: FieldMap,
  facts: PageFacts,
  warnings: ExtractWarnings,
  hits?: FieldHits,
): Record<string, unknown> {
  // The loop of `buildRecord`, written out: this is the crawl's hottest loop, and a closure per
  // record cost HTML pages with many records a few per cent.
  const record: Record<string, unknown> = {};
  let i = 0;
  for (const [name, spec] of Object.entries(fields)) {
    const options = fieldOptions(spec);
    const value = readField($, scope, name, options, facts, warnings);
    if (value === MISSING) record[name] = fallbackOf(options);
    else {
      record[name] = value;
      const slot = hits?.slots[i] ?? -1;
      if (slot >= 0) hits!.counts[slot]!++;
    }
    i++;
  }
  return record;
}

/**
 * One record from `read(name, options)` of every field, in declaration order: a MISSING value
 * becomes the field's fallback; a found one counts in `hits`.
 */
export function buildRecord(
  fields: FieldMap,
  hits: FieldHits | undefined,
  read: (name: string, options: FieldOptions) => unknown,
): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  let i = 0;
  for (const [name, spec] of Object.entries(fields)) {
    const options = fieldOptions(spec);
    const value = read(name, options);
    if (value === MISSING) record[name] = fallbackOf(options);
    else {
      record[name] = value;
      const slot = hits?.slots[i] ?? -1;
      if (slot >= 0) hits!.counts[slot]!++;
    }
    i++;
  }
  return record;
}
