import { describe, expect, it } from "vitest";
import type { PageFacts } from "./field-spec.ts";
import { extractField, newWarnings } from "./fields.ts";
import { loadHtml } from "./load-html.ts";

const facts: PageFacts = {
  url: "http://shop.test/p/1",
  finalUrl: "http://shop.test/p/1",
  status: 200,
  target: "t",
  pageType: "product",
  baseUrl: "http://shop.test/p/1",
};

const html = `<html><body>
  <nav><a href="/">home</a><h2>Nav</h2></nav>
  <main><section><h2>First</h2><ul><li>a</li><li>b</li><li>c</li><li>d</li></ul></section>
  <section class="x"><h1>Title</h1><h2>Second</h2><p class="price">1</p><p class="price">2</p></section>
  <div><span>s1</span><em>e</em><span>s2</span></div></main>
</body></html>`;

/**
 * A single-valued field reads the first match and stops searching there: it must read what the
 * whole search's first element is, for every kind of selector.
 */
describe("a field's first match", () => {
  it.each([
    "h2",
    "h1, h2",
    "h2, h1",
    "section h2",
    "main > section.x h2",
    ".price",
    "li:nth-child(2)",
    "li:first",
    "li:last",
    "li:eq(2)",
    "li:gt(1)",
    "li:lt(3)",
    "li:odd",
    "li:even",
    "li:not(:first-child)",
    "section:last h2",
    "em + span",
    "em ~ span",
    "span:contains(s2)",
    "p:has(+ p)",
    "missing, h1",
    "nothing",
  ])("%s", (css) => {
    const $ = loadHtml(html);
    const expected = $.root().find(css).first().text().trim() || null;
    expect(extractField($, $.root(), "f", css, facts, newWarnings())).toBe(expected);
  });

  it("within each element of a list", () => {
    const $ = loadHtml(html);
    const sections = $("section").toArray();
    expect(sections.map((el) => extractField($, $(el), "f", "h2", facts, newWarnings()))).toEqual([
      "First",
      "Second",
    ]);
  });
});
