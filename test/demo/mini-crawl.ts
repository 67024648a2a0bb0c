/**
 * A deliberately naive crawler for the example tests: breadth-first, one request at a time, no
 * retries, using trawl's own definition parser and extractor. It checks that the examples and the
 * demo site fit together without depending on the engine.
 */
import {
  loadHtml,
  extractLinks,
  extractRecord,
  newWarnings,
  type FieldMap,
} from "../../src/extract/index.ts";
import type { Definition } from "../../src/pipeline/definition-schema.ts";

/** What the crawl saw. */
export interface CrawlResult {
  records: Record<string, unknown>[];
  pages: number;
  warnings: number;
}

/** Crawls every target of a definition; throws on any non-200 answer. */
export async function miniCrawl(definition: Definition): Promise<CrawlResult> {
  const startPage = Object.keys(definition.pages)[0] ?? "";
  const seen = new Set<string>();
  const queue: { url: string; page: string; target: string }[] = [];
  for (const target of definition.targets ?? []) {
    for (const url of [target.start].flat()) queue.push({ url, page: startPage, target: target.name });
  }
  const result: CrawlResult = { records: [], pages: 0, warnings: 0 };
  const warnings = newWarnings();
  for (let item = queue.shift(); item; item = queue.shift()) {
    if (seen.has(item.url)) continue;
    seen.add(item.url);
    const response = await fetch(item.url);
    if (response.status !== 200) throw new Error(`${item.url} answered ${response.status}`);
    const $ = loadHtml(await response.text());
    const facts = {
      url: item.url,
      finalUrl: item.url,
      status: 200,
      target: item.target,
      pageType: item.page,
      baseUrl: item.url,
    };
    const page = definition.pages[item.page];
    result.pages++;
    for (const link of extractLinks($, page?.follow ?? [], item.url)) {
      queue.push({ url: link.url, page: link.page, target: item.target });
    }
    if (page?.record)
      result.records.push(extractRecord($, $.root(), page.record as FieldMap, facts, warnings));
    if (page?.records) {
      for (const node of $(page.records.each).toArray()) {
        result.records.push(extractRecord($, $(node), page.records.fields as FieldMap, facts, warnings));
      }
    }
  }
  result.warnings = warnings.count;
  return result;
}
