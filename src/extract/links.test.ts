import { describe, expect, it } from "vitest";
import { documentBaseUrl, extractLinks } from "./links.ts";
import { loadHtml } from "./load-html.ts";

const page = `<html><head><base href="/shop/"></head><body>
  <a class="next" href="page/2">next</a>
  <a href="item/1">one</a><a href="http://other.test/item/2">two</a>
  <a href="mailto:x@y">mail</a><a href="javascript:void(0)">js</a><a href="">empty</a>
  <img data-src="img/1.png">
</body></html>`;

describe("links", () => {
  it("honours <base href> resolved against the final URL", () => {
    const $ = loadHtml(page);
    expect(documentBaseUrl($, "http://h.test/a/b")).toBe("http://h.test/shop/");
    expect(documentBaseUrl(loadHtml("<p>"), "http://h.test/a/b")).toBe("http://h.test/a/b");
  });

  it("follows css rules with attr, and patterns over all anchors, keeping only http(s)", () => {
    const $ = loadHtml(page);
    const links = extractLinks(
      $,
      [
        { css: "a.next", page: "list" },
        { css: "img", attr: "data-src", page: "image" },
        { pattern: "/item/\\d+$", page: "product" },
      ],
      documentBaseUrl($, "http://h.test/a/b"),
    );
    expect(links).toEqual([
      { url: "http://h.test/shop/page/2", page: "list" },
      { url: "http://h.test/shop/img/1.png", page: "image" },
      { url: "http://h.test/shop/item/1", page: "product" },
      { url: "http://other.test/item/2", page: "product" },
    ]);
  });
});
