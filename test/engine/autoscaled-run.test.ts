/**
 * `concurrency: auto` in a real run (issue 16, item 7): against a site that answers 429 to a
 * request arriving while 3 are being served, a run starting at 12 in flight halves at once,
 * says so in its log, and stays near what the site serves instead of piling up 429s; every
 * page is still crawled (the throttled ones retried).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, describeRun } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

const ITEMS = 120;
const CAPACITY = 3;
let dir: string;
let site: FaultSite;
let app: App;
let serving = 0;
let throttled = 0;
/** 429s answered in the run's second half, once the autoscaler had time to settle. */
let lateThrottled = 0;
let served = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-autoscale-"));
  site = await startFaultSite({
    routes: {
      "/list": (_req, res) => {
        const links = Array.from({ length: ITEMS }, (_, i) => `<a class="item" href="/item?i=${i}">${i}</a>`);
        res.writeHead(200, { "content-type": "text/html" }).end(links.join(""));
      },
      "/item": (req, res) => {
        if (serving >= CAPACITY) {
          throttled++;
          if (served > ITEMS / 2) lateThrottled++;
          return void res.writeHead(429, { "content-type": "text/plain" }).end("slow down");
        }
        serving++;
        const i = new URL(req.url!, "http://x").searchParams.get("i");
        setTimeout(() => {
          serving--;
          served++;
          res.writeHead(200, { "content-type": "text/html" }).end(`<h1>Item ${i}</h1>`);
        }, 20);
      },
    },
  });
  app = await App.open({ home: join(dir, "home") });
});

afterAll(async () => {
  await app.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("concurrency: auto", () => {
  it("halves on the site's 429s at once, logs why, and crawls everything without piling them up", async () => {
    const file = join(dir, "self-paced.yaml");
    writeFileSync(
      file,
      `name: self-paced
start: ${site.url}/list
politeness: { concurrency: { start: 12, min: 1, max: 16 }, rate_per_host: 1000, robots: ignore, retries: 10, retry_statuses: [429] }
pages:
  list:
    follow: [{ css: a.item, page: item }]
  item:
    record: { title: h1 }
`,
    );
    const run = await app.engine.run(await loadScraper(file));
    const summary = await describeRun(app.store, run);
    expect(summary.status).toBe("succeeded");
    expect(summary.records).toBe(ITEMS);
    const logs = await app.store.logs.list(run.id);
    const cuts = logs.filter((l) => /^concurrency \d+ → \d+: the site answered 429\/503/.test(l.message));
    expect(cuts[0]?.message).toMatch(/^concurrency 12 → 6: the site answered 429\/503 at 12 in flight/);
    // A fixed 12 would draw a 429 for most requests; the autoscaled run few once settled.
    expect(throttled).toBeLessThan(ITEMS);
    expect(lateThrottled).toBeLessThan(ITEMS / 8);
  });
});
