/**
 * The declarative part of parsing a `format: json` page: its body parsed once, records and links
 * read by JSONPath. A pure function of the spec and the page, like the HTML one, so it runs on
 * parse threads too.
 */
import {
  eachOptions,
  extractJsonLinks,
  extractJsonRecord,
  newWarnings,
  parseJsonBody,
  selectJson,
  templateLinks,
} from "../extract/index.ts";
import type { PageFacts } from "../extract/index.ts";
import type { ScrapedRecord } from "../core/index.ts";
import { layoutOf } from "./page-selectors.ts";
import type { DeclarativePage, Extraction, PageInput } from "./types.ts";

/**
 * Records and follow links of a JSON page. Relative URLs resolve against the page's final URL.
 *
 * @throws NotJsonError (reason `not_json`) when the body is not JSON: the request fails, the run goes on.
 */
export function extractJsonPage(spec: DeclarativePage, page: PageInput): Extraction {
  const body = parseJsonBody(page.body, page.finalUrl);
  const facts: PageFacts = { ...page, baseUrl: page.finalUrl };
  const warnings = newWarnings();
  const layout = layoutOf(spec);
  const matches = new Array<number>(layout.size).fill(0);
  const hits = { counts: matches, slots: layout.fieldSlots };
  let records: ScrapedRecord[] = [];
  if (spec.record !== undefined) records = [extractJsonRecord(body, spec.record, facts, warnings, hits)];
  else if (spec.records !== undefined) {
    const items = selectJson(body, eachOptions(spec.records.each).json ?? "$");
    // `records.each` is the first slot.
    matches[0] = items.length;
    const { fields } = spec.records;
    records = items.map((item) => extractJsonRecord(item, fields, facts, warnings, hits));
  }
  const links = extractJsonLinks(body, spec.follow ?? [], page.finalUrl, matches, layout.followAt);
  if (layout.templates)
    links.push(...templateLinks(spec.follow!, page.url, records.length, matches, layout.followAt));
  return { records, links, warnings, matches };
}
