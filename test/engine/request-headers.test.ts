/**
 * Request shaping: `headers:` on the scraper, a target and a page type, and `cookies:`, with a
 * token from the environment. An API that answers 401 without the token is scraped over HTTP and
 * in the browser, each page type getting its own headers; the token is in no log line, record,
 * capture, HAR or WARC export of the recorded run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, describeRun, type RunSummary } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { openRecording, writeHar, writeWarc } from "../../src/replay/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

const TOKEN = "tok-9f3c1e77d2";
const SESSION = "sess-4b1a0c";

/** What each request carried, by path. */
const seen = new Map<string, http.IncomingHttpHeaders>();

/** 401 unless the request carries the token and the session cookie. */
function guarded(body: (req: http.IncomingMessage) => string) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.set(req.url!, req.headers);
    const authorised =
      req.headers.authorization === `Bearer ${TOKEN}` && req.headers.cookie?.includes(`session=${SESSION}`);
    res.writeHead(authorised ? 200 : 401, { "content-type": "text/html; charset=utf-8" });
    res.end(authorised ? body(req) : "<h1>401</h1>");
  };
}

const routes = {
  "/secure/list": guarded(
    () =>
      `<html><body><a class="item" href="/secure/item/1">1</a><a class="item" href="/secure/item/2">2</a></body></html>`,
  ),
  "/secure/item/1": guarded((req) => `<h1>Anchor</h1><p class="lang">${req.headers["accept-language"]}</p>`),
  "/secure/item/2": guarded((req) => `<h1>Bell</h1><p class="lang">${req.headers["accept-language"]}</p>`),
};

let dir: string;
let site: FaultSite;
let app: App;
let summary: RunSummary;
let records: Record<string, unknown>[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-headers-"));
  site = await startFaultSite({ routes });
  app = await App.open({ home: join(dir, "home") });
  process.env.SHOP_API_TOKEN = TOKEN;
  process.env.SHOP_SESSION = SESSION;
  const file = join(dir, "secure-shop.yaml");
  writeFileSync(
    file,
    `name: secure-shop
targets:
  - name: shop
    start: ${site.url}/secure/list
    headers: { Accept-Language: fr }
headers:
  Authorization: "Bearer {{ env.SHOP_API_TOKEN }}"
  Accept-Language: en
  X-Trawl-Test: scraper
cookies:
  session: "{{ env.SHOP_SESSION }}"
record: true
pages:
  list:
    engine: browser
    follow: [{ css: a.item, page: item }]
  item:
    headers: { x-trawl-test: item }
    record:
      title: h1
      lang: .lang
politeness: { robots: ignore, rate_per_host: 100, retries: 0, timeout: 10s }
`,
  );
  const run = await app.engine.run(await loadScraper(file));
  summary = await describeRun(app.store, run);
  records = [];
  for await (const r of app.store.records.read(run.id, 0)) records.push(r as Record<string, unknown>);
}, 90_000);

afterAll(async () => {
  delete process.env.SHOP_API_TOKEN;
  delete process.env.SHOP_SESSION;
  await app?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("headers and cookies of a definition", () => {
  it("reach an API that refuses requests without them, over HTTP and in the browser", () => {
    expect(summary.error).toBeNull();
    expect(summary.status).toBe("succeeded");
    // The target's Accept-Language wins over the scraper's.
    expect(records.sort((a, b) => String(a.title).localeCompare(String(b.title)))).toEqual([
      { title: "Anchor", lang: "fr" },
      { title: "Bell", lang: "fr" },
    ]);
    // The browser page got the scraper's headers; an item page its own, over the scraper's.
    expect(seen.get("/secure/list")!["x-trawl-test"]).toBe("scraper");
    expect(seen.get("/secure/item/1")!["x-trawl-test"]).toBe("item");
    expect(seen.get("/secure/item/1")!.cookie).toBe(`session=${SESSION}`);
  });

  it("keep the token out of logs, records, captures and the HAR and WARC exports", async () => {
    const runId = summary.id;
    const logs = await app.store.logs.list(runId, { limit: 10_000 });
    const texts = [JSON.stringify(logs), JSON.stringify(records)];
    const captures = await app.store.captures.list(runId, { limit: 10_000 });
    expect(captures.some((c) => c.kind === "response")).toBe(true);
    texts.push(JSON.stringify(captures));
    const recording = await openRecording(app.store, app.paths.blobs, runId);
    for (const write of [writeHar, (r: typeof recording, out: PassThrough) => writeWarc(r, out)]) {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on("data", (chunk: Buffer) => chunks.push(chunk));
      await write(recording, out);
      texts.push(Buffer.concat(chunks).toString("latin1"));
    }
    // The browser's request headers were recorded, with the token masked.
    expect(texts.join("\n")).toContain("Bearer ***");
    for (const text of texts) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(SESSION);
    }
    expect(readFileSync(join(dir, "secure-shop.yaml"), "utf8")).not.toContain(TOKEN);
  });
});
