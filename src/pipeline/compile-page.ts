/** Compiles one page type into a `parse()` running fields, records, links and the `parse` hook. */
import {
  documentBaseUrl,
  extractLinks,
  extractRecord,
  loadHtml,
  newWarnings,
  resolveUrl,
} from "../extract/index.ts";
import type { CheerioAPI, ExtractWarnings, PageFacts } from "../extract/index.ts";
import { ParseHookError } from "./errors.ts";
import type {
  CompiledPage,
  DeclarativePage,
  DiscoveredLink,
  Extraction,
  PageInput,
  PageOutput,
  ScrapedRecord,
  ScraperContext,
} from "./types.ts";

/** What a `parse` hook may return: records, a (partial) page output, or nothing. */
export type ParseHookResult = ScrapedRecord[] | Partial<PageOutput> | void | undefined;

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
): ScrapedRecord[] {
  if (spec.record !== undefined) return [extractRecord($, $.root(), spec.record, facts, warnings)];
  if (spec.records === undefined) return [];
  const { each, fields } = spec.records;
  return $(each)
    .toArray()
    .map((el) => extractRecord($, $(el), fields, facts, warnings));
}

function hookLinks(
  links: readonly DiscoveredLink[],
  baseUrl: string,
  pageNames: ReadonlySet<string>,
): DiscoveredLink[] {
  const out: DiscoveredLink[] = [];
  for (const link of links) {
    if (!pageNames.has(link.page)) {
      throw new ParseHookError(`parse hook returned a link to unknown page type "${link.page}"`);
    }
    const url = resolveUrl(link.url, baseUrl);
    if (url !== null) out.push({ url, page: link.page });
  }
  return out;
}

function mergeHookResult(
  output: PageOutput,
  result: ParseHookResult,
  baseUrl: string,
  pageNames: ReadonlySet<string>,
): void {
  if (result === undefined || result === null) return;
  if (Array.isArray(result)) {
    output.records.push(...result);
    return;
  }
  output.records.push(...(result.records ?? []));
  output.links.push(...hookLinks(result.links ?? [], baseUrl, pageNames));
  if (result.warnings) output.warnings = (output.warnings ?? 0) + result.warnings;
}

/**
 * The declarative part of parsing a page: its record(s) and follow links. A pure function of the
 * spec and the page, so it may run on a parse thread (see `CompiledPage.declarative`).
 */
export function extractPage(spec: DeclarativePage, page: PageInput): Extraction {
  return extractWith(loadHtml(page.body), spec, page).extraction;
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
  const records = declaredRecords($, spec, facts, warnings);
  return { extraction: { records, links: extractLinks($, spec.follow ?? [], baseUrl), warnings }, baseUrl };
}

/** Logs an extraction's warnings (the first few) and returns the page's output with their count. */
export function finishPage(extraction: Extraction, page: PageInput, ctx: ScraperContext): PageOutput {
  const { records, links, warnings } = extraction;
  reportWarnings(warnings, page, ctx);
  const output: PageOutput = { records, links };
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
 */
export function compilePage(name: string, spec: PageSpec, pageNames: ReadonlySet<string>): CompiledPage {
  const { parse: hook, ...declarative } = spec;
  if (hook === undefined) {
    return { name, declarative, parse: (page, ctx) => finishPage(extractPage(declarative, page), page, ctx) };
  }
  return {
    name,
    async parse(page, ctx) {
      const $ = loadHtml(page.body);
      const { extraction, baseUrl } = extractWith($, declarative, page);
      const hooked: PageOutput = { records: extraction.records, links: extraction.links };
      mergeHookResult(hooked, await hook({ ...page, $ }, ctx), baseUrl, pageNames);
      const output = finishPage({ ...extraction, records: hooked.records, links: hooked.links }, page, ctx);
      if (hooked.warnings) output.warnings = (output.warnings ?? 0) + hooked.warnings;
      return output;
    },
  };
}
