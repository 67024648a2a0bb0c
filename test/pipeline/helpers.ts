import type { PageInput, ScraperContext, StepContext } from "../../src/pipeline/types.ts";
import type { ScrapedRecord } from "../../src/core/index.ts";

/** A context that records log lines. */
export function testContext(): ScraperContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    runId: "RUN-20260101-000000",
    signal: new AbortController().signal,
    lines,
    log: (l, m) => lines.push(`${l}: ${m}`),
  };
}

/** A page of `body` fetched from `url`. */
export function page(url: string, body: string, extra: Partial<PageInput> = {}): PageInput {
  return {
    url,
    finalUrl: url,
    status: 200,
    headers: {},
    body,
    depth: 0,
    target: "fiction",
    pageType: "list",
    ...extra,
  };
}

/** Async iterable over records. */
export async function* stream(records: ScrapedRecord[]): AsyncIterable<ScrapedRecord> {
  for (const r of records) yield r;
}

/** A step context whose publish collects the records per dataset. */
export function stepContext(): StepContext & { lines: string[]; published: Record<string, ScrapedRecord[]> } {
  const published: Record<string, ScrapedRecord[]> = {};
  return {
    ...testContext(),
    scraper: "bookshop",
    published,
    async publish(dataset, records) {
      const list: ScrapedRecord[] = [];
      for await (const r of records) list.push(r);
      published[dataset] = list;
      return { name: dataset, version: 1, records: list.length };
    },
  };
}
