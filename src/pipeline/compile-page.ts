/** Compiles one page type into a `parse()` running fields, records, links and the `parse` hook. */
import {
  documentBaseUrl,
  eachOptions,
  evaluateXPath,
  extractLinks,
  extractRecord,
  loadHtml,
  loadXml,
  newWarnings,
  templateLinks,
} from "../extract/index.ts";
import type { AnyNode } from "domhandler";
import type { CheerioAPI, ExtractWarnings, FieldHits, PageFacts } from "../extract/index.ts";
import { hookLinks, type HookLink, type HookLinkTargets } from "./hook-links.ts";
import { extractJsonPage } from "./json-page.ts";
import { layoutOf, selectorSlots } from "./page-selectors.ts";
import type {
  CompiledPage,
  DeclarativePage,
  Extraction,
  PageInput,
  PageOutput,
  ScraperContext,
} from "./types.ts";
import type { ScrapedRecord } from "../core/index.ts";

/**
 * What a `parse` hook may return: records, a (partial) page output whose links may be POSTs
 * (see {@link HookLink}), or nothing.
 */
export type ParseHookResult =
  ScrapedRecord[] | (Partial<Omit<PageOutput, "links">> & { links?: readonly HookLink[] }) | void | undefined;

/** A TypeScript page parser; it gets the page plus a cheerio `$` of its body. */
export type ParseHook = (
  page: PageInput & { $: CheerioAPI },
  ctx: ScraperContext,
) => ParseHookResult | Promise<ParseHookResult>;

/** A page type as the compiler needs it (validated, snake_case keys as in the definition). */
export interface PageSpec extends DeclarativePage {
  parse?: ParseHook;
}

/** Warning messages logged per page; the count in the output covers all. */
const LOGGED_WARNINGS = 3;

function declaredRecords(
  $: CheerioAPI,
  spec: DeclarativePage,
  facts: PageFacts,
  warnings: ExtractWarnings,
  hits: FieldHits,
): ScrapedRecord[] {
  if (spec.record !== undefined) return [extractRecord($, $.root(), spec.record, facts, warnings, hits)];
  if (spec.records === undefined) return [];
  const { fields } = spec.records;
  const elements = eachElements($, eachOptions(spec.records.each));
  // `records.each` is the first slot.
  hits.counts[0] = elements.length;
  return elements.map((el) => extractRecord($, $(el), fields, facts, warnings, hits));
}

/** The elements `records.each` selects: by CSS, or the elements of an XPath node set. */
function eachElements($: CheerioAPI, each: { css?: string; xpath?: string }): AnyNode[] {
  if (each.xpath === undefined) return $(each.css!).toArray();
  const found = evaluateXPath(each.xpath, $.root()[0]!);
  return Array.isArray(found) ? found.flatMap((item) => ("node" in item ? [item.node] : [])) : [];
}

function mergeHookResult(
  output: PageOutput,
  result: ParseHookResult,
  baseUrl: string,
  targets: HookLinkTargets,
): void {
  if (result === undefined || result === null) return;
  if (Array.isArray(result)) {
    output.records.push(...result);
    return;
  }
  output.records.push(...(result.records ?? []));
  output.links.push(...hookLinks(result.links ?? [], baseUrl, targets));
  if (result.warnings) output.warnings = (output.warnings ?? 0) + result.warnings;
}

/**
 * The declarative part of parsing a page: its record(s) and follow links. A pure function of the
 * spec and the page, so it may run on a parse thread (see `CompiledPage.declarative`).
 */
export function extractPage(spec: DeclarativePage, page: PageInput): Extraction {
  if (spec.format === "json") return extractJsonPage(spec, page);
  return extractWith(loadBody(spec, page.body), spec, page).extraction;
}

/** The body as a document: XML for `format: xml` (read by XPath only), else HTML. */
function loadBody(spec: DeclarativePage, body: string): CheerioAPI {
  return spec.format === "xml" ? loadXml(body) : loadHtml(body);
}

function extractWith(
  $: CheerioAPI,
  spec: DeclarativePage,
  page: PageInput,
): { extraction: Extraction; baseUrl: string } {
  // A selector query over the whole document costs more than a scan of the text for `<base`.
  const baseUrl = /<base[\s>]/i.test(page.body) ? documentBaseUrl($, page.finalUrl) : page.finalUrl;
  const facts: PageFacts = { ...page, baseUrl };
  const warnings = newWarnings();
  const layout = layoutOf(spec);
  const matches = new Array<number>(layout.size).fill(0);
  const records = declaredRecords($, spec, facts, warnings, { counts: matches, slots: layout.fieldSlots });
  const links = extractLinks($, spec.follow ?? [], baseUrl, matches, layout.followAt);
  if (layout.templates)
    links.push(...templateLinks(spec.follow!, page.url, records.length, matches, layout.followAt));
  return { extraction: { records, links, warnings, matches }, baseUrl };
}

/** Logs an extraction's warnings (the first few) and returns the page's output with their count. */
export function finishPage(extraction: Extraction, page: PageInput, ctx: ScraperContext): PageOutput {
  const { records, links, warnings, matches } = extraction;
  reportWarnings(warnings, page, ctx);
  const output: PageOutput = { records, links, matches };
  if (warnings.count > 0) output.warnings = warnings.count;
  return output;
}

function reportWarnings(warnings: ExtractWarnings, page: PageInput, ctx: ScraperContext): void {
  if (warnings.count === 0) return;
  const shown = warnings.messages.slice(0, LOGGED_WARNINGS).join("; ");
  const more = warnings.count > LOGGED_WARNINGS ? ` (+${warnings.count - LOGGED_WARNINGS} more)` : "";
  ctx.log("warn", `${page.url}: ${shown}${more}`);
}

/**
 * Compiles a page type. `parse()` extracts the declared record(s) and follow links, then runs
 * the `parse` hook (if any) and appends what it returns. Links are absolute, not deduplicated.
 *
 * @param pageNames - All page types of the scraper, to reject hook links to unknown types.
 * @param browserPages - Those loaded in the browser, to reject hook links that POST to them.
 */
export function compilePage(
  name: string,
  spec: PageSpec,
  pageNames: ReadonlySet<string>,
  browserPages: ReadonlySet<string> = new Set(),
): CompiledPage {
  const { parse: hook, ...declarative } = spec;
  const selectors = selectorSlots(declarative);
  const yieldsRecords = hook !== undefined || spec.record !== undefined || spec.records !== undefined;
  if (hook === undefined) {
    return {
      name,
      declarative,
      selectors,
      yieldsRecords,
      parse: (page, ctx) => finishPage(extractPage(declarative, page), page, ctx),
    };
  }
  return {
    name,
    selectors,
    yieldsRecords,
    async parse(page, ctx) {
      const $ = loadBody(declarative, page.body);
      const { extraction, baseUrl } =
        declarative.format === "json"
          ? { extraction: extractJsonPage(declarative, page), baseUrl: page.finalUrl }
          : extractWith($, declarative, page);
      const hooked: PageOutput = { records: extraction.records, links: extraction.links };
      const targets = { names: pageNames, browser: browserPages };
      mergeHookResult(hooked, await hook({ ...page, $ }, ctx), baseUrl, targets);
      const output = finishPage({ ...extraction, records: hooked.records, links: hooked.links }, page, ctx);
      if (hooked.warnings) output.warnings = (output.warnings ?? 0) + hooked.warnings;
      return output;
    },
  };
}
