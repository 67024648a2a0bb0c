/**
 * Record, then replay offline: the same definition gives the recorded run's records exactly with
 * the site gone, a changed selector shows up as the expected diff, and requests the recording
 * lacks are reported, not fetched. Lists come over HTTP, details in the browser.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WARCParser } from "warcio";
import { App, replayRun } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { runCli } from "../cli/run-cli.ts";
import { startFaultSite, type FaultRoute, type FaultSite } from "../fixtures/fault-site.ts";

const html: (body: string) => FaultRoute = (body) => (_req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html><body>${body}</body></html>`);
};

const products = [1, 2, 3, 4, 5];

let dir: string;
let home: string;
let site: FaultSite;
let siteHits = 0;
let recordedRun: string;

const definition = (url: string, title = "h1", follow = "a.product") => `name: shop
start: ${url}/shop
pages:
  list:
    follow: [{ css: "${follow}", page: product }]
  product:
    engine: browser
    wait_for: h1
    record: { title: ${title}, price: { css: .price, type: number }, url: { from: url } }
steps:
  - dedupe: { key: url }
  - export: { dataset: shop }
politeness: { robots: ignore, rate_per_host: 100, retries: 0 }
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-replay-"));
  home = join(dir, "home");
  const routes: Record<string, FaultRoute> = {
    "/shop": html(
      products.map((n) => `<a class="product" href="/p/${n}">${n}</a>`).join("") +
        `<a class="product" href="/p/404">gone</a><a class="extra" href="/p/extra">extra</a>`,
    ),
  };
  for (const n of products) {
    // The title and price only exist once the script ran: the recording keeps the rendered page.
    routes[`/p/${n}`] = html(
      `<div id="app"></div><h2>Product number ${n}</h2><script>
        document.getElementById("app").innerHTML = "<h1>Product ${n}</h1><p class='price'>${n}.50</p>";
      </script>`,
    );
  }
  routes["/p/404"] = (_req, res) => {
    res.writeHead(404, { "content-type": "text/html" });
    res.end("<h1>not here</h1>");
  };
  site = await startFaultSite({ routes });
  writeFileSync(join(dir, "shop.yaml"), definition(site.url));
  const app = await App.open({ home });
  try {
    const scraper = await loadScraper(join(dir, "shop.yaml"));
    const run = await app.engine.create(scraper, { record: true });
    const finished = await app.engine.execute(run.id, scraper);
    expect(finished.status).toBe("succeeded");
    recordedRun = run.id;
  } finally {
    await app.close();
  }
  siteHits = site.log().length;
  await site.close();
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function replay(definitionFile?: string) {
  const app = await App.open({ home });
  try {
    return await replayRun(app, recordedRun, definitionFile);
  } finally {
    await app.close();
  }
}

describe("replay", () => {
  it("recorded what the crawl used: pages over HTTP and in the browser, the browser's responses, a failure", async () => {
    const app = await App.open({ home });
    try {
      const counts = await app.store.captures.counts(recordedRun);
      expect(counts.page).toBe(7); // the list, five products, the 404
      expect(counts.response).toBeGreaterThanOrEqual(5);
      const failed = await app.store.captures.latestPage(recordedRun, `${site.url}/p/404`);
      expect(failed?.detail).toMatchObject({ error: { reason: "http_404", status: 404 } });
    } finally {
      await app.close();
    }
  });

  it("gives exactly the recorded records with the same definition, the site stopped", async () => {
    const report = await replay();
    expect(report).toMatchObject({
      status: "succeeded",
      identical: true,
      missing: [],
      counts: { recorded: 5, replayed: 5 },
      key: ["url"],
    });
    expect(report.records.unchanged).toBe(5);
  });

  it("shows what a changed selector changes, and reports requests the recording lacks", async () => {
    const file = join(dir, "changed.yaml");
    writeFileSync(file, definition(site.url, "h2", "a.product, a.extra"));
    const report = await replay(file);
    expect(report.identical).toBe(false);
    expect(report.records.counts).toEqual({ added: 0, removed: 0, changed: 5 });
    expect(report.records.changed[0]).toMatchObject({
      key: `${site.url}/p/1`,
      fields: [{ field: "title", change: "changed", a: "Product 1", b: "Product number 1" }],
    });
    expect(report.missing).toEqual([`${site.url}/p/extra`]);
  });

  it("exports the recording as a WARC that a WARC reader reads back with every recorded response", async () => {
    const file = join(dir, "run.warc.gz");
    const exported = await runCli(["export", recordedRun, "--format", "warc", "--out", file], { home });
    expect(exported.code).toBe(0);
    const read: { type: string | undefined; uri: string | undefined; payload: string }[] = [];
    for await (const record of new WARCParser(createReadStream(file))) {
      const payload = Buffer.from(await record.readFully(false)).toString("utf8");
      read.push({ type: record.warcType, uri: record.warcTargetURI ?? undefined, payload });
    }
    const app = await App.open({ home });
    try {
      const captures = await app.store.captures.list(recordedRun, { kinds: ["page", "response"] });
      for (const capture of captures) {
        const detail = capture.detail as { engine?: string; error?: unknown; finalUrl?: string };
        if (capture.kind === "page" && detail.error) {
          expect(read.some((r) => r.type === "metadata" && r.uri === capture.url)).toBe(true);
          continue;
        }
        const type = capture.kind === "page" && detail.engine === "browser" ? "conversion" : "response";
        const uri = capture.kind === "page" ? (detail.finalUrl ?? capture.url) : capture.url;
        expect(
          read.some((r) => r.type === type && r.uri === uri),
          `${type} ${uri}`,
        ).toBe(true);
      }
      // The rendered product page is there as the crawl parsed it, title and all.
      const product = read.find((r) => r.type === "conversion" && r.uri === `${site.url}/p/1`);
      expect(product?.payload).toContain("<h1>Product 1</h1>");
    } finally {
      await app.close();
    }
  });

  it("runs from the CLI: --json prints the report; a run without a recording exits 2", async () => {
    const replayed = await runCli(["replay", recordedRun, "--json"], { home, timeoutMs: 60_000 });
    expect(replayed.code).toBe(0);
    expect(JSON.parse(replayed.stdout)).toMatchObject({ identical: true, counts: { replayed: 5 } });

    const text = await runCli(["replay", recordedRun, "--scraper", join(dir, "changed.yaml")], {
      home,
      timeoutMs: 60_000,
    });
    expect(text.stdout).toContain("5 changed");
    expect(text.stdout).toContain(`? ${site.url}/p/extra`);

    const app = await App.open({ home });
    const unrecorded = await app.engine.create(await loadScraper(join(dir, "shop.yaml")));
    await app.close();
    const refused = await runCli(["replay", unrecorded.id], { home });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`run ${unrecorded.id} has no recording; run it with --record`);
    expect(siteHits).toBeGreaterThan(0);
  });
});
