import { load } from "cheerio/slim";
import { describe, expect, it } from "vitest";
import { loadHtml } from "./load-html.ts";

const PAGE = `<!doctype html><html><head><title>T &amp; co</title></head><body>
<nav class="crumbs"><a href="/">Home</a> › <a class="list" href="/c/1">One</a></nav>
<main data-sku="S-1"><h1> A   title </h1><p class="price">€12.50<p>unclosed
<ul><li>one<li>two</ul><img src=x.jpg></main></body></html>`;

describe("loadHtml", () => {
  it("answers as cheerio's own load() of the same page", () => {
    const mine = loadHtml(PAGE);
    const theirs = load(PAGE, { xml: false });
    for (const selector of ["a", "nav.crumbs a.list", "li", "p", "[data-sku]", "img", "title"]) {
      expect(mine(selector).length, selector).toBe(theirs(selector).length);
      expect(mine(selector).text(), selector).toBe(theirs(selector).text());
      expect(
        mine(selector)
          .toArray()
          .map((el) => mine(el).attr("href") ?? mine(el).attr("src")),
      ).toEqual(
        theirs(selector)
          .toArray()
          .map((el) => theirs(el).attr("href") ?? theirs(el).attr("src")),
      );
    }
    expect(mine.root().html()).toBe(theirs.root().html());
    expect(mine.html()).toBe(theirs.html());
    expect(mine.text()).toBe(theirs.text());
    expect(mine("a", "nav").length).toBe(theirs("a", "nav").length);
    expect(mine("li", mine("ul")).length).toBe(2);
    expect(mine("h1").first().text().trim()).toBe("A   title");
  });

  it("keeps each page's document apart", () => {
    const first = loadHtml("<h1>first</h1>");
    const second = loadHtml("<h1>second</h1>");
    expect(first("h1").text()).toBe("first");
    expect(second("h1").text()).toBe("second");
    expect(first.root().text()).toBe("first");
    expect(loadHtml("").root().children().length).toBe(0);
  });

  it("shares one cheerio class between pages, so no page's DOM is held by a class of its own", () => {
    // cheerio's load() defines a class per call; V8 keeps its prototype in old space and the
    // page's DOM with it, so every parsed page was promoted out of the young generation.
    const first = loadHtml("<p>a</p>");
    const second = loadHtml("<p>b</p>");
    expect(first.fn).toBe(second.fn);
    expect(first("p")).toBeInstanceOf(second);
  });
});
