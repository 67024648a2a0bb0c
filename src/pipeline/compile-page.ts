/** Compiles one page type into a `parse()` running fields, records, links and the `parse` hook. */
import {
  documentBaseUrl,
  extractLinks,
  extractRecord,
  loadHtml,
  newWarnings,
  resolveUrl,
} from "../extract/index.ts";
import type { CheerioAPI, ExtractWarnings, FieldMap, FollowRule, PageFacts } from "../extract/index.ts";
import { ParseHookError } from "./errors.ts";
import type {
  CompiledPage,
  DiscoveredLink,
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
export interface PageSpec {
  follow?: FollowRule[];
  record?: FieldMap;
  records?: { each: string; fields: FieldMap };
  parse?: ParseHook;
}

/** Warning messages logged per page; the count in the output covers all. */
const LOGGED_WARNINGS = 3;

function declaredRecords(
  $: CheerioAPI,
  spec: PageSpec,
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
  return {
    name,
    async parse(page, ctx) {
      const $ = loadHtml(page.body);
      // A selector query over the whole document costs more than a scan of the text for `<base`.
      const baseUrl = /<base[\s>]/i.test(page.body) ? documentBaseUrl($, page.finalUrl) : page.finalUrl;
      const facts: PageFacts = { ...page, baseUrl };
      const warnings = newWarnings();
      const output: PageOutput = {
        records: declaredRecords($, spec, facts, warnings),
        links: extractLinks($, spec.follow ?? [], baseUrl),
      };
      if (spec.parse !== undefined)
        mergeHookResult(output, await spec.parse({ ...page, $ }, ctx), baseUrl, pageNames);
      reportWarnings(warnings, page, ctx);
      if (warnings.count > 0) output.warnings = (output.warnings ?? 0) + warnings.count;
      return output;
    },
  };
}
