import { describe, expect, it } from "vitest";
import { loadHtml } from "./load-html.ts";
import { loadXml } from "./load-xml.ts";
import { readSitemap } from "./sitemap.ts";
import { evaluateXPath } from "./xpath.ts";

const at = (xml: string) => loadXml(xml).root()[0]!;

describe("XPath on XML documents", () => {
  it("matches unprefixed names in any namespace, prefixed ones by the namespace the document binds", () => {
    const root = at(
      `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:m="urn:media"><entry><m:thumb url="a"/>` +
        `<Title>Case kept</Title><x:odd>undeclared</x:odd></entry></feed>`,
    );
    expect(evaluateXPath("count(//entry)", root)).toBe(1);
    expect(evaluateXPath("string(//Title)", root)).toBe("Case kept");
    expect(evaluateXPath("count(//title)", root)).toBe(0);
    expect(evaluateXPath("string(//m:thumb/@url)", root)).toBe("a");
    expect(evaluateXPath("namespace-uri(//*[local-name()='thumb'])", root)).toBe("urn:media");
    // A prefix the document never declares: its elements, not an error on every page.
    expect(evaluateXPath("string(//x:odd)", root)).toBe("undeclared");
    expect(evaluateXPath("count(//y:odd)", root)).toBe(0);
  });

  it("reads prefixed attributes by their namespace, unprefixed ones by name", () => {
    const root = at(`<feed xml:lang="en" xmlns:l="urn:links"><link l:href="/a" href="/b"/></feed>`);
    expect(evaluateXPath("string(/feed/@xml:lang)", root)).toBe("en");
    expect(evaluateXPath("string(//link/@l:href)", root)).toBe("/a");
    expect(evaluateXPath("string(//link/@href)", root)).toBe("/b");
    expect(evaluateXPath("local-name(//link/@l:href)", root)).toBe("href");
  });

  it("leaves HTML without namespaces, even when it declares xmlns", () => {
    const $ = loadHtml(`<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Hi</h1></body></html>`);
    expect(evaluateXPath("string(//h1)", $.root()[0]!)).toBe("Hi");
    expect(evaluateXPath("namespace-uri(//h1)", $.root()[0]!)).toBe("");
  });
});

describe("readSitemap", () => {
  it("reads a robots.txt's Sitemap lines, in any case, resolved against its URL", () => {
    const robots = "User-agent: *\nDisallow: /x\nsitemap: /a.xml\n  SITEMAP:https://cdn.example/b.xml.gz\n";
    expect(readSitemap(robots, "https://shop.example/robots.txt")).toEqual({
      sitemaps: ["https://shop.example/a.xml", "https://cdn.example/b.xml.gz"],
      pages: [],
    });
  });

  it("reads an index's sitemaps and a urlset's pages with their lastmod, skipping what is not http(s)", () => {
    const index = `<sitemapindex><sitemap><loc> /s1.xml </loc></sitemap></sitemapindex>`;
    expect(readSitemap(index, "https://shop.example/index.xml").sitemaps).toEqual([
      "https://shop.example/s1.xml",
    ]);
    const urlset =
      `<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` +
      `<url><loc>https://shop.example/p/1</loc><lastmod>2024-05-01</lastmod></url>` +
      `<url><loc>mailto:a@b.c</loc></url><url><loc>https://shop.example/p/2?a=1&amp;b=2</loc></url></urlset>`;
    expect(readSitemap(urlset, "https://shop.example/s1.xml")).toEqual({
      sitemaps: [],
      pages: [
        { url: "https://shop.example/p/1", lastmod: "2024-05-01" },
        { url: "https://shop.example/p/2?a=1&b=2" },
      ],
    });
  });
});
