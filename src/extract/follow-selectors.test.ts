import { describe, expect, it } from "vitest";
import { extractLinks } from "./links.ts";
import { loadHtml } from "./load-html.ts";

const html = `<!doctype html><html><head><base href="/b/"></head><body>
<nav class="crumbs main"><a href="/">Home</a> › <a class="list" href="/c/1">One</a></nav>
<main data-kind="Product"><ul><li><a class="p x" href="p/1" rel="next">1</a></li><li><a class="p" href="p/2" lang="en-GB">2</a></li>
<li><a href="p/3" data-x="a b c">3</a><a href="p/4" id="four">4</a></li></ul>
<section><h2>Related</h2><div><a class="P" href="p/5">5</a></div><a href="p/6" hreflang="EN">6</a></section>
<p><A HREF="p/7">7</A><img src="i/1.png" alt=""><a href="mailto:x@y">m</a></p></main>
<table><tr><td><a href="p/8">8</a></td></tr></table></body></html>`;

/**
 * Follow rules compile plain selectors once and search the document with css-select; the links
 * must be exactly those `$(selector)` finds, in the same order, whatever the selector.
 */
describe("follow rule selectors", () => {
  it.each([
    "a",
    "a.p",
    "a.p.x",
    ".P",
    "nav.crumbs a.list",
    "nav.main > a",
    "ul a, section a",
    "section a, ul a",
    "li + li a",
    "h2 ~ a",
    "h2 ~ div a",
    "a[rel]",
    "a[rel=next]",
    'a[data-x~="b"]',
    'a[lang|="en"]',
    'a[href^="p/"]',
    'a[href$="4"]',
    'a[href*="/"]',
    'a[hreflang="en" i]',
    "#four",
    "main[data-kind] a",
    "*",
    "td > a",
    "body a",
    "html a",
    "a:first",
    "a:last",
    "li:nth-child(2) a",
    "a:not(.p)",
    "li:has(a.x) a",
    "> body a",
    "a:eq(3)",
    "img",
  ])("%s", (css) => {
    const $ = loadHtml(html);
    const base = "http://h.test/b/";
    const expected = $(css)
      .toArray()
      .map((el) => $(el).attr("href"))
      .filter((href) => href !== undefined && !href.startsWith("mailto:"))
      .map((href) => new URL(href!, base).href);
    const found = extractLinks($, [{ css, page: "p" }], base).map((link) => link.url);
    expect(found).toEqual(expected);
  });

  it("reports an invalid selector as cheerio does", () => {
    const $ = loadHtml(html);
    expect(() => extractLinks($, [{ css: "a[", page: "p" }], "http://h.test/")).toThrow();
  });
});
