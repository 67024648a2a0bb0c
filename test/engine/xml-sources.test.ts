/**
 * XML sources against the fixture site's sitemap and feed routes (test/fixtures/sitemap-routes.ts):
 * a crawl that starts from a site's sitemaps (robots.txt → sitemap index → a gzip-encoded and a
 * gzip-file child), RSS and Atom feeds read by XPath, and a sitemap crawl killed and resumed.
 */
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { App, describeRun, replayRun } from "../../src/app/index.ts";
import { DefinitionError } from "../../src/pipeline/index.ts";
import { parseDefinitionYaml } from "../../src/pipeline/load-yaml.ts";
import { ATOM_ENTRIES, RSS_ITEMS, SITEMAP_ITEMS, sitemapRoutes } from "../fixtures/sitemap-routes.ts";
import { useSiteApp } from "./site-app.ts";

const t = useSiteApp("trawl-xml-", { routes: sitemapRoutes({ itemDelayMs: 40 }) });

/** Runs a definition (recorded when `record`) and reads its crawl's records. */
async function crawl(name: string, yaml: string, record = false) {
  const scraper = await t.scraper(name, yaml);
  const run = await t.app.engine.execute((await t.app.engine.create(scraper, { record })).id, scraper);
  return { run, records: await t.records(run.id), summary: await describeRun(t.app.store, run) };
}

const SITEMAP_CRAWL = `name: sitemap-items
start: { sitemap: SITE/, pattern: "/sm/item/\\\\d+$", page: item }
pages:
  home:
    record: { title: h1 }
  item:
    record:
      name: h1
      url: { from: url }
      lastmod: { from: lastmod }
politeness: { rate_per_host: 1000, concurrency: 2 }
`;

/** What a crawl of SITEMAP_CRAWL must yield, sorted by URL. */
const sitemapRecords = () =>
  SITEMAP_ITEMS.map((item) => ({
    name: `Item ${item.id}`,
    url: `${t.site.url}/sm/item/${item.id}`,
    lastmod: item.lastmod ?? null,
  }));

const byUrl = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String(a.url).localeCompare(String(b.url));

describe("sitemaps", () => {
  it("crawls the pages of a site's sitemaps: robots.txt, an index, gzipped children, pattern and lastmod", async () => {
    const { run, records, summary } = await crawl("sitemap-items", SITEMAP_CRAWL, true);
    expect(run.status).toBe("succeeded");
    expect(records.sort(byUrl)).toEqual(sitemapRecords());
    // robots.txt, the index, its two sitemaps and nine items; the pattern kept /sm/about and /sm/contact out.
    expect(summary.pages).toMatchObject({ done: 13, failed: 0 });
    expect(t.site.hits("/sm/about") + t.site.hits("/sm/contact")).toBe(0);
    // Recorded: it replays offline to the same records, lastmod included, without a fetch.
    const hits = t.site.log().length;
    const report = await replayRun(t.app, run.id);
    expect(report).toMatchObject({
      status: "succeeded",
      identical: true,
      missing: [],
      counts: { replayed: 9 },
    });
    expect(t.site.log().length).toBe(hits);
  });

  it("a format: xml page type reads sitemaps itself, following the text of <loc> by XPath", async () => {
    const { run, records } = await crawl(
      "sitemap-xml",
      `name: sitemap-xml
start: SITE/sitemap-index.xml
pages:
  index:
    format: xml
    follow:
      - { xpath: "/sitemapindex/sitemap/loc/text()", page: urls }
  urls:
    format: xml
    records:
      each: { xpath: "//url" }
      fields:
        loc: { xpath: "loc", type: url }
        lastmod: { xpath: "lastmod" }
politeness: { rate_per_host: 1000, robots: ignore }
`,
    );
    expect(run.status).toBe("succeeded");
    const expected = [
      ...SITEMAP_ITEMS.map((item) => ({
        loc: `${t.site.url}/sm/item/${item.id}`,
        lastmod: item.lastmod ?? null,
      })),
      { loc: `${t.site.url}/sm/about`, lastmod: null },
      { loc: `${t.site.url}/sm/contact`, lastmod: null },
    ];
    const byLoc = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      String(a.loc).localeCompare(String(b.loc));
    expect(records.sort(byLoc)).toEqual(expected.sort(byLoc));
  });
});

describe("feeds", () => {
  it("reads an RSS feed by XPath: namespaced dc:creator, CDATA, dates", async () => {
    const { run, records } = await crawl(
      "rss",
      `name: rss
start: SITE/feeds/rss.xml
pages:
  feed:
    format: xml
    records:
      each: { xpath: "/rss/channel/item" }
      fields:
        title: { xpath: "title" }
        url: { xpath: "link", type: url }
        author: { xpath: "dc:creator" }
        published: { xpath: "pubDate", type: date }
        summary: { xpath: "description" }
        feed: { xpath: "/rss/channel/title" }
politeness: { rate_per_host: 1000, robots: ignore }
`,
    );
    expect(run.status).toBe("succeeded");
    expect(records).toEqual(
      RSS_ITEMS.map((item) => ({
        title: item.title,
        url: `${t.site.url}${item.path}`,
        author: item.creator,
        published: new Date(item.date).toISOString(),
        summary: item.summary,
        feed: "Harbour news",
      })),
    );
  });

  it("reads an Atom feed, whose elements are in a default namespace, by plain names and by local-name()", async () => {
    const { run, records } = await crawl(
      "atom",
      `name: atom
start: SITE/feeds/atom.xml
pages:
  feed:
    format: xml
    records:
      each: { xpath: "//entry" }
      fields:
        id: { xpath: "id" }
        title: { xpath: "*[local-name()='title']" }
        url: { xpath: "link[@rel='alternate']/@href", type: url }
        updated: { xpath: "updated" }
politeness: { rate_per_host: 1000, robots: ignore }
`,
    );
    expect(run.status).toBe("succeeded");
    expect(records).toEqual(
      ATOM_ENTRIES.map((e) => ({
        id: e.id,
        title: e.title,
        url: `${t.site.url}${e.path}`,
        updated: e.updated,
      })),
    );
  });

  it("rejects CSS and JSONPath in a format: xml page type, and a sitemap start naming an unknown page type", () => {
    const text = [
      "name: feed",
      "targets:",
      "  - name: news",
      "    start: [{ sitemap: http://h.test/sitemap.xml, page: nope }]",
      "pages:",
      "  feed:",
      "    format: xml",
      "    records:",
      "      each: item",
      "      fields:",
      "        title: title",
      '        id: { json: "$.id" }',
      "",
    ].join("\n");
    let error: unknown;
    try {
      parseDefinitionYaml(text, "f.yaml");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DefinitionError);
    const problems = [...(error as DefinitionError).problems].sort((a, b) => a.line - b.line);
    expect(problems.map((p) => [p.line, p.path, p.message.slice(0, 45)])).toEqual([
      [4, "targets.0.start.0.page", 'unknown page type "nope" (pages: feed)'],
      [9, "pages.feed.records.each", "a format: xml page type's records.each is { x"],
      [11, "pages.feed.records.fields.title", "a format: xml page type reads a field by XPat"],
      [12, "pages.feed.records.fields.id", "a format: xml page type reads a field by XPat"],
    ]);
  });
});

const BIN = join(import.meta.dirname, "../../bin/trawl.js");

/** The CLI from the sources, in `home`; resolves to its exit code (null when killed) and stderr. */
function trawl(home: string, args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, TRAWL_HOME: home, TRAWL_FROM_SOURCE: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { exited, kill: () => child.kill("SIGKILL"), stderr: () => stderr };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("resume", () => {
  it("a sitemap crawl killed among its pages resumes to exactly the records, lastmod included", async () => {
    const home = join(t.dir, "crashed");
    const file = t.write("sitemap-crash.yaml", SITEMAP_CRAWL.replace("concurrency: 2", "concurrency: 1"));
    const child = trawl(home, ["run", file]);
    const done = () => {
      try {
        const db = new Database(join(home, "trawl.db"), { readonly: true });
        try {
          const row = db.prepare(
            "SELECT COUNT(*) AS n FROM requests WHERE url LIKE '%/sm/item/%' AND state = 'done'",
          );
          return (row.get() as { n: number }).n;
        } finally {
          db.close();
        }
      } catch {
        return 0; // not created yet
      }
    };
    // Killed once the sitemaps are read and some of their pages are done, not all.
    while (done() < 3) {
      expect(await Promise.race([child.exited.then(() => "exited"), sleep(20)]), child.stderr()).not.toBe(
        "exited",
      );
    }
    child.kill();
    expect(await child.exited).toBeNull();
    const runId = /run (RUN-\d{8}-[0-9A-F]{6})/.exec(child.stderr())![1]!;
    expect(done()).toBeLessThan(SITEMAP_ITEMS.length);

    const resumed = trawl(home, ["resume", runId]);
    expect(await resumed.exited, resumed.stderr()).toBe(0);
    const reopened = await App.open({ home });
    try {
      expect((await reopened.store.runs.get(runId))?.status).toBe("succeeded");
      expect((await t.records(runId, 0, reopened)).sort(byUrl)).toEqual(sitemapRecords());
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
