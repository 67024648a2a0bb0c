/**
 * The browser engine through the real engine: pages rendered by script, per-page-type engines,
 * the crawl core's politeness, deadlines and reason codes, blocked resources, webdriver hidden.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, describeRun } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { startFaultSite, type FaultRoute, type FaultSite } from "../fixtures/fault-site.ts";

const html: (body: string) => FaultRoute = (body) => (_req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html><body>${body}</body></html>`);
};

let dir: string;
let site: FaultSite;
let app: App;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-browser-"));
  site = await startFaultSite({
    routes: {
      // Empty until its script runs: only a browser sees the products.
      "/shop": html(
        `<div id="app"></div><script>
          document.getElementById("app").innerHTML =
            [1, 2, 3].map((n) => '<a class="product" href="/product/' + n + '">' + n + '</a>').join("");
        </script>`,
      ),
      "/product/1": html(
        `<h1>One</h1><p id="wd"></p><script>document.getElementById("wd").textContent = String(navigator.webdriver)</script>`,
      ),
      "/product/2": html(`<h1>Two</h1><img src="/ok?image=2">`),
      "/product/3": html(
        `<div id="late"></div><script>setTimeout(() => { document.getElementById("late").innerHTML = "<h1>Three</h1>" }, 300)</script>`,
      ),
      // Links to four pages: they are requested once the browser is up, so only the limiter spaces them.
      "/four": html([1, 2, 3, 4].map((n) => `<a href="/ok?b=${n}">${n}</a>`).join("")),
      "/static-list": html(
        `<a class="product" href="/product/1">1</a><a class="product" href="/product/2">2</a>`,
      ),
    },
  });
  app = await App.open({ home: join(dir, "home") });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(name: string, yaml: string) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const finished = await app.engine.run(await loadScraper(file));
  const summary = await describeRun(app.store, finished);
  const records: Record<string, unknown>[] = [];
  for await (const r of app.store.records.read(finished.id, 0)) records.push(r as Record<string, unknown>);
  return { summary, records, runId: finished.id };
}

describe("engine: browser", () => {
  it("scrapes pages rendered by script, waits for late content, hides webdriver and blocks images", async () => {
    const { summary, records } = await run(
      "rendered",
      `name: rendered
start: ${site.url}/shop
engine: browser
browser: { block: [image], max_pages: 2 }
pages:
  shop:
    follow: [{ css: a.product, page: product }]
  product:
    wait_for: h1
    record: { title: h1, webdriver: "#wd" }
politeness: { robots: ignore, rate_per_host: 100 }
`,
    );
    expect(summary.status).toBe("succeeded");
    expect(records.map((r) => r.title).sort()).toEqual(["One", "Three", "Two"]);
    expect(records.find((r) => r.title === "One")?.webdriver).toBe("undefined");
    expect(site.hits("/ok?image=2")).toBe(0);
  }, 60_000);

  it("fetches list pages over HTTP and detail pages in the browser when the page types say so", async () => {
    const { summary, records } = await run(
      "mixed",
      `name: mixed
start: ${site.url}/static-list
pages:
  list:
    follow: [{ css: a.product, page: product }]
  product:
    engine: browser
    record: { title: h1, webdriver: "#wd" }
politeness: { robots: ignore, rate_per_host: 100 }
`,
    );
    expect(summary.status).toBe("succeeded");
    // Product 1 sets #wd by script: the browser ran it.
    expect(records.find((r) => r.title === "One")?.webdriver).toBe("undefined");
  }, 60_000);

  it("keeps the per-host rate limit, the deadline and the reason codes of HTTP requests", async () => {
    const before = site.log().length;
    const { summary } = await run(
      "polite",
      `name: polite
targets:
  - { name: fast, start: "${site.url}/four" }
  - { name: slow, start: "${site.url}/delay/2500" }
  - { name: broken, start: "${site.url}/status/404" }
engine: browser
pages:
  list:
    follow: [{ css: a, page: page }]
  page:
    record: { url: { from: url } }
politeness: { robots: ignore, rate_per_host: 2, timeout: 1500ms, retries: 0, concurrency: 4 }
`,
    );
    const hits = site
      .log()
      .slice(before)
      .filter((h) => h.path.startsWith("/ok?b="))
      .map((h) => h.at)
      .sort((a, b) => a - b);
    expect(hits).toHaveLength(4);
    // 2 requests per second for the host, a bucket of 2: the 4th starts about 1 s after the 1st.
    expect(hits[3]! - hits[0]!).toBeGreaterThanOrEqual(900);
    expect(summary.errors.map((e) => e.reason).sort()).toEqual(["http_404", "timeout"]);
  }, 120_000);

  it("rejects wait_for on a page type fetched over HTTP", async () => {
    const file = join(dir, "invalid.yaml");
    writeFileSync(
      file,
      `name: invalid\nstart: ${site.url}/ok\npages:\n  page:\n    wait_for: h1\n    record: { t: h1 }\n`,
    );
    await expect(loadScraper(file)).rejects.toThrow(/wait_for.*needs engine: browser/);
  });
});
