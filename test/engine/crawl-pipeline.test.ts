import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { App, describeRun } from "../../src/app/index.ts";
import { compileDefinition, defineScraper } from "../../src/pipeline/index.ts";

const ITEMS = 20;
const CONCURRENCY = 2;

/** A site of one list of item pages that counts requests and how many were open at once. */
interface CountingSite {
  url: string;
  /** Every request's path, in arrival order. */
  paths: string[];
  itemRequests: number;
  open: number;
  maxOpen: number;
  close(): Promise<void>;
}

/**
 * The list links every item; every item page links every item again (as a shop's related items
 * do) and back to the list, so nearly every link found is one the queue holds already.
 */
async function startCountingSite(): Promise<CountingSite> {
  const links = Array.from({ length: ITEMS }, (_, i) => `<a class="item" href="/item/${i}">${i}</a>`);
  const site = {
    url: "",
    itemRequests: 0,
    open: 0,
    maxOpen: 0,
    paths: [] as string[],
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    site.open++;
    site.maxOpen = Math.max(site.maxOpen, site.open);
    site.paths.push(req.url ?? "");
    if (req.url?.startsWith("/item/")) site.itemRequests++;
    const related = `${links.join("\n")}\n<a class="home" href="/list#top">list</a>`;
    const body = req.url === "/list" ? links.join("\n") : `<h1>${req.url}</h1>${related}`;
    // Answer a little later, so requests overlap when the crawl lets them.
    setTimeout(() => {
      site.open--;
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(`<html><body>${body}</body></html>`);
    }, 5);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  site.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return site;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let dir: string;
let site: CountingSite;
let app: App;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-pipeline-"));
  site = await startCountingSite();
  app = await App.open({ home: join(dir, "home") });
});

beforeEach(() => {
  site.paths = [];
  site.itemRequests = 0;
  site.maxOpen = 0;
});

afterAll(async () => {
  await app.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the crawl's pipeline", () => {
  it("fetches the next pages while pages are parsed, with at most `concurrency` requests in flight and a bounded backlog", async () => {
    let release!: () => void;
    const parsesHeld = new Promise<void>((resolve) => (release = resolve));
    let parsing = 0;
    const scraper = compileDefinition(
      defineScraper({
        name: "pipeline",
        start: `${site.url}/list`,
        pages: {
          list: { follow: [{ css: "a.item", page: "item" }] },
          item: {
            record: { title: "h1" },
            // A slow parse: the item pages wait here until the test lets them go.
            parse: async () => {
              parsing++;
              await parsesHeld;
            },
          },
        },
        politeness: { concurrency: CONCURRENCY, rate_per_host: 1000, robots: "ignore" },
      }),
      { source: "crawl-pipeline.test.ts" },
    );
    const running = app.engine.run(scraper);
    // Requests go on while the first pages are held in their parse: more than `concurrency`…
    await until(
      () => site.itemRequests >= 2 * CONCURRENCY && parsing >= 2 * CONCURRENCY,
      "pages fetched ahead",
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    // …but no more than `concurrency` more pages wait beside those in flight (backpressure).
    expect(site.itemRequests).toBe(2 * CONCURRENCY);
    release();
    const summary = await describeRun(app.store, await running);
    expect(summary).toMatchObject({ status: "succeeded", records: ITEMS, pages: { done: ITEMS + 1 } });
    expect(site.maxOpen).toBeLessThanOrEqual(CONCURRENCY);
  });

  it("hands the store only links it does not know to be queued, and fetches every page once", async () => {
    const queue = app.store.queue;
    const completeMany = queue.completeMany.bind(queue);
    let linksHanded = 0;
    // Counts what reaches the real queue; the queue does all the work.
    queue.completeMany = (runId, completions, now) => {
      for (const completion of completions) linksHanded += completion.links.length;
      return completeMany(runId, completions, now);
    };
    try {
      const scraper = compileDefinition(
        defineScraper({
          name: "related",
          start: `${site.url}/list`,
          pages: {
            list: { follow: [{ css: "a.item", page: "item" }] },
            item: {
              record: { title: "h1" },
              follow: [
                { css: "a.item", page: "item" },
                { css: "a.home", page: "list" },
              ],
            },
          },
          politeness: { concurrency: CONCURRENCY, rate_per_host: 1000, robots: "ignore" },
        }),
        { source: "crawl-pipeline.test.ts" },
      );
      const summary = await describeRun(app.store, await app.engine.run(scraper));
      expect(summary).toMatchObject({ status: "succeeded", records: ITEMS, pages: { done: ITEMS + 1 } });
      expect([...site.paths].sort()).toEqual(
        ["/list", ...Array.from({ length: ITEMS }, (_, i) => `/item/${i}`)].sort(),
      );
      // Found: ITEMS from the list, ITEMS + 1 on each item page. Handed over: those of the list, and
      // the few found on pages parsed before the list's links were committed.
      expect(linksHanded).toBeGreaterThanOrEqual(ITEMS);
      expect(linksHanded).toBeLessThan(3 * ITEMS);
    } finally {
      queue.completeMany = completeMany;
    }
  });
});
