/**
 * A run's log names every decision a user would ask about: each retry and its wait, rate cuts,
 * robots refusals, loops and size limits, and the records validate and dedupe drop. A real fault
 * site, a real store, one run; the assertions read the stored log.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import type { LogRecord } from "../../src/store/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

/** Fault routes the index links to. */
const FAULTS = ["/retry-after/1", "/flaky/1", "/private/page", "/redirect-loop", "/huge?mb=2"];
/** Item pages: 1–4 fine, 5 repeats item 2's sku, 6–7 have a code that is not a URL, 8–30 no title. */
const ITEMS = 30;

let dir: string;
let site: FaultSite;
let app: App;
let logs: LogRecord[];

function itemPage(n: number): string {
  const title = n >= 8 ? "" : `<h1>Item ${n}</h1>`;
  const sku = n === 5 ? "S2" : `S${n}`;
  const code = n === 6 || n === 7 ? "not a url" : `http://codes.test/${n}`;
  return `<html><body>${title}<p class="sku">${sku}</p><p class="code">${code}</p></body></html>`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-decisions-"));
  site = await startFaultSite({
    routes: {
      "/index": (_req, res) => {
        const faults = FAULTS.map((path) => `<a class="fault" href="${path}">${path}</a>`);
        const items = Array.from(
          { length: ITEMS },
          (_, i) => `<a class="item" href="/item?n=${i + 1}">i</a>`,
        );
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(`<html><body>${faults.join("")}${items.join("")}</body></html>`);
      },
      "/item": (req, res) => {
        const n = Number(new URL(req.url ?? "/", "http://x").searchParams.get("n"));
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(itemPage(n));
      },
    },
  });
  app = await App.open({ home: join(dir, "home") });
  logs = await runLogged("decisions", "");
}, 60_000);

/** Runs the scraper over the site with `extra` YAML appended; returns the run's stored log. */
async function runLogged(name: string, extra: string): Promise<LogRecord[]> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
start: ${site.url}/index
pages:
  index:
    follow:
      - { css: "a.fault", page: fault }
      - { css: "a.item", page: item }
  fault: {}
  item:
    record:
      url: { from: url }
      title: h1
      sku: .sku
      code: .code
politeness: { concurrency: 8, rate_per_host: 1000, timeout: 5s, retries: 1, max_body: 1MB, max_redirects: 3 }
steps:
  - validate: { required: [title], types: { code: url } }
  - dedupe: { key: sku }
${extra}`,
  );
  const run = await app.engine.run(await loadScraper(file));
  expect(run.status).toBe("succeeded");
  return app.store.logs.list(run.id);
}

afterAll(async () => {
  await app.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The stored lines of `level` whose message matches `pattern`. */
function lines(level: string, pattern: RegExp): string[] {
  return logs.filter((l) => l.level === level && pattern.test(l.message)).map((l) => l.message);
}

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("the log of a run over a hostile site", () => {
  it("logs each retry with its attempt, reason and wait, and gives up in one line", () => {
    const u = esc(site.url);
    expect(
      lines(
        "info",
        new RegExp(
          `^${u}/retry-after/1: attempt 1 of 2 failed \\(HTTP 429\\); retrying in 1 s, as its Retry-After asks$`,
        ),
      ),
    ).toHaveLength(1);
    expect(
      lines(
        "info",
        new RegExp(
          `^${u}/flaky/1: attempt 1 of 2 failed \\(HTTP 503\\); retrying in \\d+ ms \\(backoff: random up to 500 ms\\)$`,
        ),
      ),
    ).toHaveLength(1);
    expect(lines("warn", new RegExp(`^${u}/retry-after/1 failed`))).toEqual([
      `${site.url}/retry-after/1 failed after 2 attempts: http_429 (HTTP 429)`,
    ]);
    expect(lines("warn", new RegExp(`^${u}/flaky/1 failed`))).toEqual([]);
  });

  it("logs the rate limiter's cuts and Retry-After pauses, naming the host", () => {
    const host = esc(new URL(site.url).host);
    // The first 429 only blocks the host (it came alone, or the 503 had cut the rate already);
    // its retry, throttled again right after the wait, cuts the rate too.
    expect(
      lines(
        "warn",
        new RegExp(
          `^${host} answered HTTP 429: no requests to it for 1 s \\(Retry-After\\); rate stays at [\\d.]+ requests/s(: one throttle after a quiet spell, the wait is enough|, cut already for this overload)$`,
        ),
      ),
    ).toHaveLength(1);
    expect(
      lines(
        "warn",
        new RegExp(
          `^${host} answered HTTP 429: rate cut from [\\d.]+ to [\\d.]+ requests/s; no requests to it for 1 s \\(Retry-After\\)$`,
        ),
      ),
    ).toHaveLength(1);
    expect(
      lines("warn", new RegExp(`^${host} answered HTTP 503: rate cut from [\\d.]+ to [\\d.]+ requests/s$`)),
    ).toHaveLength(1);
  });

  it("names the robots.txt rule that refused a URL", () => {
    expect(lines("warn", /private\/page failed/)).toEqual([
      `${site.url}/private/page failed: robots (disallowed by robots.txt: line 2 "Disallow: /private")`,
    ]);
  });

  it("says a redirect loop is a loop, and which limit a huge body hit", () => {
    expect(lines("warn", /redirect-loop failed/)).toEqual([
      `${site.url}/redirect-loop failed: redirect_limit (redirect loop: ${site.url}/redirect-loop redirects back to itself; gave up after 3 redirects, max_redirects)`,
    ]);
    expect(lines("warn", /huge\?mb=2 failed/)).toEqual([
      `${site.url}/huge?mb=2 failed: too_large (body exceeds max_body (1MB))`,
    ]);
  });

  it("names each dropped record and the rule it broke, then sums up the rest per rule", () => {
    const u = esc(site.url);
    const each = lines(
      "warn",
      new RegExp(
        `^validate: dropped a record: (missing required field "title"|field "code" is not a url: "not a url") \\(record \\d+, url ${u}/item\\?n=\\d+\\)$`,
      ),
    );
    expect(each).toHaveLength(20);
    expect(lines("warn", /^validate: dropped \d+ records in all/)).toEqual([
      `validate: dropped 25 records in all, the first 20 logged one by one; by rule: missing required field "title" ×23, field "code" is not a url ×2`,
    ]);
  });

  it("names the record dedupe dropped and the one whose key it repeats", () => {
    expect(
      lines(
        "info",
        new RegExp(
          `^dedupe: dropped a record: same sku "S2" as record \\d+ \\(record \\d+, url ${esc(site.url)}/item\\?n=[25]\\)$`,
        ),
      ),
    ).toHaveLength(1);
  });
});

describe("the log of a run that limits its crawl", () => {
  it("says how many links max_depth kept out of the queue", async () => {
    const limited = await runLogged("shallow", "limits: { max_depth: 0 }\n");
    const lines = limited.filter((l) => l.message.startsWith("links not followed"));
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ["info", `links not followed: ${FAULTS.length + ITEMS} found on pages at max_depth (0)`],
    ]);
  });
});
