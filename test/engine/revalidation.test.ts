/**
 * `cache: revalidate`: a first run keeps each page's validators and body; the next run asks with
 * `If-None-Match` / `If-Modified-Since`, gets 304s and gives the same records without parsing the
 * unchanged pages again (unless the definition changed); a page whose ETag changed is fetched in
 * full. The site is a fault-site route set answering 304 like a real server.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, describeRun, type RunSummary } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";
import { filesUnder } from "../fixtures/files-under.ts";

const LAST_MODIFIED = "Tue, 01 Dec 2026 10:00:00 GMT";
/** Each item's title and version; the version is its ETag (item 3 has only Last-Modified). */
const items: Record<string, { title: string; version: number }> = {
  "1": { title: "Anchor", version: 1 },
  "2": { title: "Bell", version: 1 },
  "3": { title: "Candle", version: 1 },
};
/** The conditional headers each request carried, per path, in order. */
const asked: { path: string; ifNoneMatch?: string; ifModifiedSince?: string; status: number }[] = [];

/** Answers 304 when the request's validators match the page's, else the page with them. */
function validated(page: () => { body: string; etag?: string }) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const { body, etag } = page();
    const fresh = etag
      ? req.headers["if-none-match"] === etag
      : req.headers["if-modified-since"] === LAST_MODIFIED;
    const status = fresh ? 304 : 200;
    asked.push({
      path: req.url!,
      ifNoneMatch: req.headers["if-none-match"],
      ifModifiedSince: req.headers["if-modified-since"],
      status,
    });
    const validators = etag ? { etag } : { "last-modified": LAST_MODIFIED };
    if (fresh) return res.writeHead(304, validators).end();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...validators }).end(body);
  };
}

const routes = {
  "/rv/list": validated(() => ({
    body: `<html><body>${Object.keys(items)
      .map((id) => `<a class="item" href="item/${id}">${id}</a>`)
      .join("")}</body></html>`,
    etag: '"list-1"',
  })),
  ...Object.fromEntries(
    Object.entries(items).map(([id, item]) => [
      `/rv/item/${id}`,
      validated(() => ({
        body: `<h1>${item.title}</h1><p class="v">${item.version}</p>`,
        ...(id !== "3" && { etag: `"item-${id}-v${item.version}"` }),
      })),
    ]),
  ),
};

let dir: string;
let site: FaultSite;
let app: App;
let file: string;

async function run(): Promise<{ summary: RunSummary; records: Record<string, unknown>[]; logs: string[] }> {
  const done = await app.engine.run(await loadScraper(file));
  const records: Record<string, unknown>[] = [];
  for await (const r of app.store.records.read(done.id, 0)) records.push(r as Record<string, unknown>);
  records.sort((a, b) => String(a.title).localeCompare(String(b.title)));
  const logs = (await app.store.logs.list(done.id)).map((line) => line.message);
  return { summary: await describeRun(app.store, done), records, logs };
}

/** The run's log line on the unchanged pages it did not parse again, if any. */
const notParsed = (logs: string[]) => logs.find((line) => line.includes("not parsed again"));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-revalidate-"));
  site = await startFaultSite({ routes });
  app = await App.open({ home: join(dir, "home") });
  file = join(dir, "revisited-shop.yaml");
  writeFileSync(
    file,
    `name: revisited-shop
start: ${site.url}/rv/list
pages:
  list:
    follow: [{ css: a.item, page: item }]
  item:
    record:
      title: h1
      version: .v
politeness: { robots: ignore, rate_per_host: 100, retries: 0, timeout: 10s, cache: revalidate }
`,
  );
}, 30_000);

afterAll(async () => {
  await app?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("cache: revalidate", () => {
  it("revisits an unchanged site with conditional requests, reusing the stored pages", async () => {
    const first = await run();
    expect(first.summary.status).toBe("succeeded");
    expect(first.records).toEqual([
      { title: "Anchor", version: "1" },
      { title: "Bell", version: "1" },
      { title: "Candle", version: "1" },
    ]);
    expect(first.summary.stats.notModified).toBeUndefined();
    expect(notParsed(first.logs)).toBeUndefined();
    expect(asked.every((a) => a.status === 200 && !a.ifNoneMatch && !a.ifModifiedSince)).toBe(true);

    asked.length = 0;
    const second = await run();
    expect(second.summary.status).toBe("succeeded");
    expect(second.records).toEqual(first.records);
    expect(second.summary.stats.notModified).toBe(4);
    expect(second.summary.stats.statusCodes).toEqual({ "304": 4 });
    expect(second.summary.stats.bytes).toBe(0);
    // What the unchanged pages yielded was kept: none of them is parsed again.
    expect(notParsed(second.logs)).toMatch(/: 4 unchanged page\(s\) not parsed again/);
    const byPath = Object.fromEntries(asked.map((a) => [a.path, a]));
    expect(byPath["/rv/list"]).toMatchObject({ ifNoneMatch: '"list-1"', status: 304 });
    expect(byPath["/rv/item/1"]).toMatchObject({ ifNoneMatch: '"item-1-v1"', status: 304 });
    expect(byPath["/rv/item/3"]).toMatchObject({ ifModifiedSince: LAST_MODIFIED, status: 304 });
    expect(byPath["/rv/item/3"]!.ifNoneMatch).toBeUndefined();
  }, 60_000);

  it("fetches a changed page (a new ETag) in full and keeps its new version", async () => {
    items["2"]!.version = 2;
    asked.length = 0;
    const third = await run();
    expect(third.records).toEqual([
      { title: "Anchor", version: "1" },
      { title: "Bell", version: "2" },
      { title: "Candle", version: "1" },
    ]);
    expect(third.summary.stats.notModified).toBe(3);
    expect(notParsed(third.logs)).toMatch(/: 3 unchanged page\(s\)/);
    expect(asked.find((a) => a.path === "/rv/item/2")).toMatchObject({
      ifNoneMatch: '"item-2-v1"',
      status: 200,
    });

    asked.length = 0;
    const fourth = await run();
    expect(fourth.records).toEqual(third.records);
    expect(fourth.summary.stats.notModified).toBe(4);
    expect(notParsed(fourth.logs)).toMatch(/: 4 unchanged page\(s\)/);
  }, 60_000);

  it("parses unchanged pages again when the definition changed", async () => {
    const yaml = readFileSync(file, "utf8");
    writeFileSync(file, yaml.replace("version: .v", "version: { css: .v, type: integer }"));
    try {
      const changed = await run();
      expect(changed.summary.stats.notModified).toBe(4);
      expect(changed.records).toEqual([
        { title: "Anchor", version: 1 },
        { title: "Bell", version: 2 },
        { title: "Candle", version: 1 },
      ]);
      expect(notParsed(changed.logs)).toBeUndefined();
      // What they yield under the new definition is kept in turn.
      expect(notParsed((await run()).logs)).toMatch(/: 4 unchanged page\(s\)/);
    } finally {
      writeFileSync(file, yaml);
    }
  }, 60_000);

  it("does not even read the stored body of a page whose extraction was kept", async () => {
    // The extractions the definition as it is now yields are kept (the last run kept another's).
    expect(notParsed((await run()).logs)).toBeUndefined();
    // The stored bodies are damaged: a run that read one would fail to inflate it.
    for (const blob of filesUnder(app.paths.blobs)) if (blob.endsWith(".gz")) writeFileSync(blob, "not gzip");
    const unread = await run();
    expect(unread.summary.status).toBe("succeeded");
    expect(unread.summary.stats.notModified).toBe(4);
    expect(unread.records).toEqual([
      { title: "Anchor", version: "1" },
      { title: "Bell", version: "2" },
      { title: "Candle", version: "1" },
    ]);
    expect(notParsed(unread.logs)).toMatch(/: 4 unchanged page\(s\)/);
  }, 60_000);

  it("fetches a page in full when its 304 finds the stored body gone", async () => {
    // The blobs go (a data directory cleaned by hand); their rows stay.
    for (const blob of filesUnder(app.paths.blobs)) if (blob.endsWith(".gz")) rmSync(blob);
    asked.length = 0;
    const fifth = await run();
    expect(fifth.summary.error).toBeNull();
    expect(fifth.summary.status).toBe("succeeded");
    expect(fifth.records).toEqual([
      { title: "Anchor", version: "1" },
      { title: "Bell", version: "2" },
      { title: "Candle", version: "1" },
    ]);
    expect(fifth.summary.stats.notModified).toBeUndefined();
    // Each page: the conditional request (304), then the plain one (200).
    const item1 = asked.filter((a) => a.path === "/rv/item/1");
    expect(item1).toMatchObject([
      { ifNoneMatch: '"item-1-v1"', status: 304 },
      { ifNoneMatch: undefined, status: 200 },
    ]);
  }, 60_000);
});
