/**
 * Where a page type's fields were read, shown in a recorded page: the selectors of each field
 * (scoped by `records.each`) and a style sheet that outlines them, one colour per field.
 */
import { parse, stringify } from "css-what";
import type { FieldSelector } from "../core/contract/captures.ts";
import { eachOptions, loadHtml, type EachSpec, type FieldMap } from "../extract/index.ts";

/** Outline colours of highlighted fields, in field order (the viewer's legend uses the same). */
const COLORS = ["#e11d48", "#2563eb", "#16a34a", "#d97706", "#9333ea", "#0891b2", "#db2777", "#65a30d"];

/** What a page type reads: the record scope (`records.each`, else null) and its fields. */
export interface PageSelectors {
  pageType: string;
  each: string | null;
  fields: FieldSelector[];
}

/** A page type as a compiled scraper holds it: its name and, when it has no code, its fields. */
export interface HighlightedPage {
  name: string;
  declarative?: { record?: FieldMap; records?: { each: EachSpec; fields: FieldMap } };
}

/** The selectors of every declarative page type that reads fields from the HTML. */
export function selectorsOf(pages: Iterable<HighlightedPage>): PageSelectors[] {
  return [...pages].flatMap((page) => {
    const spec = page.declarative;
    const map = spec?.records?.fields ?? spec?.record;
    if (!map) return [];
    const eachSpec = spec?.records === undefined ? undefined : eachOptions(spec.records.each);
    // Only CSS is highlighted: an XPath `each` or field has no CSS selector to outline.
    if (eachSpec !== undefined && eachSpec.css === undefined) return [];
    const each = eachSpec?.css ?? null;
    const fields = Object.entries(map).flatMap(([name, field]) => {
      const options = typeof field === "string" ? { css: field } : field;
      if (options.from || options.xpath !== undefined || options.json !== undefined) return [];
      const selector = each ? scoped(each, options.css) : options.css;
      return selector ? [{ name, selector }] : [];
    });
    return [
      {
        pageType: page.name,
        each,
        fields: fields.map((f, i) => ({ ...f, color: COLORS[i % COLORS.length]! })),
      },
    ];
  });
}

/** `each css` for every alternative of both selector lists (`each` itself without `css`). */
function scoped(each: string, css: string | undefined): string {
  if (!css) return each;
  return splitSelectorList(each)
    .flatMap((scope) => splitSelectorList(css).map((part) => `${scope} ${part}`))
    .join(", ");
}

/** The selectors of a selector list (`a, b` → `a`, `b`); none when it does not parse. */
export function splitSelectorList(list: string): string[] {
  try {
    return parse(list).map((selector) => stringify([selector]));
  } catch {
    return [];
  }
}

/**
 * The page type to show: the one sharing most field names with the record, then the one whose
 * selectors match most elements of the page; null when there is none.
 */
export function bestPageType(types: PageSelectors[], html: string, keys?: string[]): PageSelectors | null {
  if (types.length <= 1) return types[0] ?? null;
  const $ = loadHtml(html);
  const matches = (selector: string) => {
    try {
      return $(selector).length > 0 ? 1 : 0;
    } catch {
      return 0; // a selector cheerio cannot read
    }
  };
  const score = (t: PageSelectors) =>
    (keys ? t.fields.filter((f) => keys.includes(f.name)).length * 1000 : 0) +
    t.fields.reduce((sum, f) => sum + matches(f.selector), 0);
  return types.reduce((best, t) => (score(t) > score(best) ? t : best));
}

/** One CSS rule per selector, so that a selector the browser cannot read drops only its own. */
export function highlightCss(types: PageSelectors): string {
  const safe = (selector: string) => splitSelectorList(selector).filter((s) => !/[<{}]/.test(s));
  const rules = types.fields.flatMap((f) =>
    safe(f.selector).map(
      (s) =>
        `${s} { outline: 2px solid ${f.color} !important; outline-offset: 1px !important; background-color: ${f.color}22 !important; }`,
    ),
  );
  if (types.each)
    rules.unshift(
      ...safe(types.each).map(
        (s) => `${s} { outline: 2px dashed #6b7280 !important; outline-offset: 3px !important; }`,
      ),
    );
  return `/* trawl: where the fields of "${types.pageType.replace(/\*\//g, "")}" were read */\n${rules.join("\n")}`;
}

/** Adds a style element at the end of `<head>`, else at the end of the document. */
export function injectStyle(html: string, css: string): string {
  const style = `<style data-trawl-highlight>\n${css}\n</style>`;
  const head = /<\/head\s*>/i.exec(html);
  return head ? `${html.slice(0, head.index)}${style}${html.slice(head.index)}` : `${html}${style}`;
}
