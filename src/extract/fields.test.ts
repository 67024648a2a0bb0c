import { describe, expect, it } from "vitest";
import { extractField, extractRecord, newWarnings } from "./fields.ts";
import type { FieldSpec, PageFacts } from "./field-spec.ts";
import { loadHtml } from "./load-html.ts";

const facts: PageFacts = {
  url: "http://shop.test/p/1",
  finalUrl: "http://shop.test/products/1",
  status: 200,
  target: "fiction",
  pageType: "product",
  baseUrl: "http://shop.test/products/1",
};

const html = `<html><body>
  <h1>  The   Book </h1>
  <p class="price">£1,234.50</p>
  <p class="stock">In stock: yes</p>
  <span data-sku="SKU-9">x</span>
  <time datetime="2024-03-05">5 March</time>
  <a class="img" href="/img/1.png">img</a>
  <ul><li>a</li><li> b </li><li>c</li></ul>
  <p class="bad">n/a</p>
</body></html>`;

function field(spec: FieldSpec) {
  const $ = loadHtml(html);
  const warnings = newWarnings();
  return { value: extractField($, $.root(), "f", spec, facts, warnings), warnings };
}

describe("extractField", () => {
  it("reads the trimmed text of the first match for a bare selector", () => {
    expect(field("h1").value).toBe("The   Book");
    expect(field("li").value).toBe("a");
  });

  it("applies attr, type, regex, all, trim, default and from", () => {
    expect(field({ css: ".price", type: "number" }).value).toBe(1234.5);
    expect(field({ css: "[data-sku]", attr: "data-sku" }).value).toBe("SKU-9");
    expect(field({ css: ".stock", regex: ":\\s*(\\w+)", type: "boolean" }).value).toBe(true);
    expect(field({ css: "time", attr: "datetime", type: "date" }).value).toBe("2024-03-05");
    expect(field({ css: "a.img", attr: "href", type: "url" }).value).toBe("http://shop.test/img/1.png");
    expect(field({ css: "li", all: true }).value).toEqual(["a", "b", "c"]);
    expect(field({ css: "li", all: true, trim: false }).value).toEqual(["a", " b ", "c"]);
    expect(field({ css: ".missing", default: "none" }).value).toBe("none");
    expect(field({ css: ".missing", all: true }).value).toEqual([]);
    expect(field({ css: "h1", attr: "title" }).value).toBeNull();
    expect(field({ css: "h1", regex: "(\\d+)", default: 0 }).value).toBe(0);
    expect(field({ from: "url" }).value).toBe("http://shop.test/p/1");
    expect(field({ from: "final_url", regex: "/products/(\\d+)", type: "integer" }).value).toBe(1);
    expect(field({ from: "status" }).value).toBe(200);
    expect(field({ from: "target" }).value).toBe("fiction");
    expect(field({ from: "page_type" }).value).toBe("product");
  });

  it("turns a failed conversion into null and a counted warning", () => {
    const { value, warnings } = field({ css: ".bad", type: "number" });
    expect(value).toBeNull();
    expect(warnings).toEqual({ count: 1, messages: ['field "f": cannot convert "n/a" to number'] });
  });
});

describe("extractRecord", () => {
  it("gives the same record every time on malformed HTML", () => {
    const broken = `<div class="p"><h1>Title <b>bold</h1><span class=price>£3.50<p>tail</div></span><td>x`;
    const fields = { title: "h1", price: { css: ".price", type: "number" as const }, tail: "p" };
    const run = () => {
      const $ = loadHtml(broken);
      return extractRecord($, $.root(), fields, facts, newWarnings());
    };
    const first = run();
    expect(first).toEqual({ title: "Title bold", price: 3.5, tail: "tail" });
    for (let i = 0; i < 5; i++) expect(run()).toEqual(first);
  });
});
