import { describe, expect, it } from "vitest";
import { extractRecord, newWarnings } from "./fields.ts";
import type { FieldMap, PageFacts } from "./field-spec.ts";
import { extractLinks } from "./links.ts";
import { loadHtml } from "./load-html.ts";
import { evaluateXPath, xpathProblem } from "./xpath.ts";

const facts: PageFacts = {
  url: "http://shop.test/p/1",
  finalUrl: "http://shop.test/p/1",
  status: 200,
  target: "t",
  pageType: "product",
  baseUrl: "http://shop.test/p/1",
};

const html = `<!doctype html><html><body>
  <h1 class="title">  The <b>Book</b> </h1>
  <p class="price" data-amount="12.5">£12.50</p>
  <!-- a comment -->
  <ul><li><a href="/a" rel="x">A</a></li><li><a href="/b">B</a></li><li><a href="mailto:x@y">M</a></li></ul>
  <a rel="next" href="?page=2">next</a>
</body></html>`;

function record(fields: FieldMap) {
  const $ = loadHtml(html);
  const warnings = newWarnings();
  return { record: extractRecord($, $.root(), fields, facts, warnings), warnings };
}

describe("xpath fields", () => {
  it("read text and attribute nodes, elements (text or attr) and computed values", () => {
    const { record: r, warnings } = record({
      text: { xpath: "//h1/text()" },
      element: { xpath: "//h1" },
      href: { xpath: "//li[2]/a/@href" },
      attr: { xpath: "//p[@class='price']", attr: "data-amount", type: "number" },
      price: { xpath: "//p[contains(@class, 'price')]", type: "number" },
      names: { xpath: "//li/a/text()", all: true },
      links: { xpath: "//li/a", attr: "href", all: true, type: "url" },
      count: { xpath: "count(//li)" },
      title: { xpath: "normalize-space(//h1)" },
      has: { xpath: "boolean(//ul)", type: "boolean" },
      comment: { xpath: "//comment()" },
      missing: { xpath: "//h2", default: "none" },
      nothing: { xpath: "//h2/@id", all: true },
      nan: { xpath: "number(//h1)" },
    });
    expect(warnings.count).toBe(0);
    expect(r).toEqual({
      text: "The",
      element: "The Book",
      href: "/b",
      attr: 12.5,
      price: 12.5,
      names: ["A", "B", "M"],
      links: ["http://shop.test/a", "http://shop.test/b", "mailto:x@y"],
      count: 3,
      title: "The Book",
      has: true,
      comment: "a comment",
      missing: "none",
      nothing: [],
      nan: null,
    });
  });

  it("are relative to the records.each element with ./", () => {
    const $ = loadHtml(html);
    const items = $("li").toArray();
    const values = items.map((el) =>
      extractRecord($, $(el), { name: { xpath: "./a" }, all: { xpath: "count(//a)" } }, facts, newWarnings()),
    );
    expect(values).toEqual([
      { name: "A", all: 4 },
      { name: "B", all: 4 },
      { name: "M", all: 4 },
    ]);
  });

  it("give CSS and XPath the same view of the document", () => {
    const $ = loadHtml(html);
    const byXPath = evaluateXPath("//li/a", $.root()[0]!);
    expect(Array.isArray(byXPath) && byXPath.map((item) => ("node" in item ? item.node : null))).toEqual(
      $("li a").toArray(),
    );
    // The doctype is not an XPath node: the document's only child is <html>.
    expect(evaluateXPath("count(/node())", $.root()[0]!)).toBe(1);
    expect(evaluateXPath("name(/*)", $.root()[0]!)).toBe("html");
  });
});

describe("xpath follow rules", () => {
  it("follow attribute nodes, or the attr of elements, resolved and filtered like CSS rules", () => {
    const $ = loadHtml(html);
    const found = [0, 0, 0];
    const links = extractLinks(
      $,
      [
        { xpath: "//a[@rel='next']/@href", page: "list" },
        { xpath: "//li/a", page: "item", pattern: "/b$" },
        { xpath: "//li/a", page: "all" },
      ],
      facts.baseUrl,
      found,
    );
    expect(links).toEqual([
      { url: "http://shop.test/p/1?page=2", page: "list" },
      { url: "http://shop.test/b", page: "item" },
      { url: "http://shop.test/a", page: "all" },
      { url: "http://shop.test/b", page: "all" },
    ]);
    expect(found).toEqual([1, 1, 2]);
  });
});

describe("xpathProblem", () => {
  it("accepts XPath 1.0 and names what is wrong with the rest", () => {
    expect(xpathProblem("//div[@id='x']//a[last()]/@href")).toBeNull();
    expect(xpathProblem("//h1[")).toMatch(/^invalid XPath expression \(XPath parse error\)/);
    expect(xpathProblem("//a[upper-case(.)='X']")).toBe('unknown XPath function "upper-case()"');
    expect(xpathProblem("//a[@id = $id]")).toBe('XPath variables are not supported: "$id"');
  });
});
