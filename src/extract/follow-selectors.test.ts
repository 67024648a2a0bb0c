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

  it("resolves hrefs exactly as the URL parser does, whatever they hold", () => {
    const alphabet = [..."/aB0.-_~%2eE?# \\'\"<>`{}|^[]:@!$&()*+,;=é", "\t", "//", "/.", "%2e", "%2F"];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const hrefs = Array.from({ length: 3000 }, () => {
      const parts = Array.from(
        { length: 1 + Math.floor(random() * 8) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      );
      return (random() < 0.8 ? "/" : "") + parts.join("");
    });
    const escape = (text: string) =>
      text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
    const page = loadHtml(hrefs.map((href) => `<a href="${escape(href)}">x</a>`).join("\n"));
    const raw = page("a")
      .toArray()
      .map((el) => page(el).attr("href")!);
    for (const base of [
      "http://h.test/a/b?q#f",
      "https://U:p@H.test:8443/x/",
      "http://[::1]:80/",
      "file:///tmp/x",
    ]) {
      const expected = raw.flatMap((href) => {
        if (href.trim() === "") return [];
        try {
          const url = new URL(href.trim(), base);
          return url.protocol === "http:" || url.protocol === "https:" ? [url.href] : [];
        } catch {
          return [];
        }
      });
      expect(extractLinks(page, [{ css: "a", page: "p" }], base).map((link) => link.url)).toEqual(expected);
    }
  });
});
