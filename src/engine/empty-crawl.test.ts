import { describe, expect, it } from "vitest";
import type { PageTypeHealth, SelectorCount } from "../core/contract/runs.ts";
import type { CompiledPage } from "../pipeline/index.ts";
import { emptyCrawlCulprits } from "./empty-crawl.ts";

const declarative = (yieldsRecords: boolean): CompiledPage => ({
  name: "",
  declarative: {},
  yieldsRecords,
  parse: () => ({ records: [], links: [] }),
});
const pages = { list: declarative(false), category: declarative(false), product: declarative(true) };

const follow = (to: string, matched: number): SelectorCount => ({
  kind: "follow",
  name: to,
  selector: `a.${to}`,
  pages: matched,
  found: matched * 3,
});
const field = (matched: number): SelectorCount => ({
  kind: "field",
  name: "title",
  selector: "h1",
  pages: matched,
  found: matched,
});
const type = (pageType: string, pages: number, records: number, selectors: SelectorCount[]) => ({
  pageType,
  pages,
  records,
  selectors,
});

/** list → category → product, with what each selector matched. */
function shop(listToCategory: number, categoryPages: number, categoryToProduct: number, productPages = 0) {
  return [
    type("list", 1, 0, [follow("category", listToCategory)]),
    type("category", categoryPages, 0, [follow("product", categoryToProduct)]),
    type("product", productPages, productPages, [field(0)]),
  ] satisfies PageTypeHealth[];
}

describe("emptyCrawlCulprits", () => {
  it("names the page types when a follow rule matched nothing and no record type was reached", () => {
    const health = shop(0, 0, 0);
    const culprits = emptyCrawlCulprits(health, { pages, records: 0, counted: true });
    expect(culprits?.map((t) => t.pageType)).toEqual(["list", "product"]);
  });

  it("lets a crawl that max_depth kept from the record pages succeed: its rules found links", () => {
    expect(emptyCrawlCulprits(shop(1, 0, 0), { pages, records: 0, counted: true })).toBeNull();
    expect(emptyCrawlCulprits(shop(1, 2, 2), { pages, records: 0, counted: true })).toBeNull();
  });

  it("fails a record type that was fetched and yielded nothing, or only hollow records", () => {
    expect(emptyCrawlCulprits(shop(1, 1, 1, 3), { pages, records: 0, counted: true })).not.toBeNull();
    expect(emptyCrawlCulprits(shop(1, 1, 1, 3), { pages, records: 3, counted: true })).not.toBeNull();
    // Not every page was counted (a crash, an older run): hollow records are not judged.
    expect(emptyCrawlCulprits(shop(1, 1, 1, 3), { pages, records: 3, counted: false })).toBeNull();
  });

  it("does not judge records a parse hook yielded", () => {
    const hooked = { ...pages, product: { ...declarative(true), declarative: undefined } };
    expect(emptyCrawlCulprits(shop(1, 1, 1, 3), { pages: hooked, records: 3, counted: true })).toBeNull();
  });
});
