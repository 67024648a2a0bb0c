import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, describeRun } from "../../src/app/index.ts";
import { resolveVersion } from "../../src/datasets/catalog.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

/** Each fault route, and the reason code the request must end with. */
const FAULTS: Record<string, string> = {
  "/status/404": "http_404",
  "/status/500": "http_500",
  "/drop": "reset",
  "/partial": "truncated",
  "/redirect-loop": "redirect_limit",
  "/bomb/gzip": "too_large",
  "/bomb/br": "too_large",
  "/huge": "too_large",
  "/trickle": "timeout",
  "/delay/5000": "timeout",
  "/retry-after/1": "http_429",
  "/private/page": "robots",
};

let dir: string;
let site: FaultSite;
let app: App;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-faults-"));
  site = await startFaultSite({
    routes: {
      "/index": (_req, res) => {
        const links = Object.keys(FAULTS).map((path) => `<a href="${path}">${path}</a>`);
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(
          `<html><body><a href="/ok">fine</a><a href="/bad-utf8">odd</a>${links.join("")}</body></html>`,
        );
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

describe("a run over a hostile site", () => {
  it("ends every faulty request with its reason code and completes with the good pages", async () => {
    const file = join(dir, "faults.yaml");
    writeFileSync(
      file,
      `name: faults
start: ${site.url}/index
pages:
  index:
    follow:
      - { pattern: ".*", page: leaf }
  leaf:
    record:
      url: { from: url }
      body: body
politeness: { concurrency: 16, rate_per_host: 1000, timeout: 1500ms, retries: 1, max_body: 1MB, max_redirects: 5 }
steps:
  - export: { dataset: faults }
`,
    );
    const run = await app.engine.run(await loadScraper(file));
    expect(run.status).toBe("succeeded");
    const summary = await describeRun(app.store, run);
    const reasons = Object.fromEntries(summary.errors.map((e) => [e.reason, e.count]));
    const expected: Record<string, number> = {};
    for (const reason of Object.values(FAULTS)) expected[reason] = (expected[reason] ?? 0) + 1;
    expect(reasons).toEqual(expected);
    expect(summary.records).toBe(2);
    expect(summary.pages).toMatchObject({ done: 3, failed: Object.keys(FAULTS).length, pending: 0 });
    expect(summary.stats.retries).toBeGreaterThan(0);
    const host = summary.stats.hosts?.[new URL(site.url).host];
    expect(host).toMatchObject({ throttled: 2 }); // the 429 and its one retry
    expect(host!.requests).toBeGreaterThan(Object.keys(FAULTS).length);
  }, 60_000);
});

describe("a run that gets no page at all, or more failures than max_failed", () => {
  const scraper = (name: string, starts: string[], limits = "{}") => {
    const file = join(dir, `${name}.yaml`);
    const start = starts.map((path) => `  - ${site.url}${path}`).join("\n");
    writeFileSync(
      file,
      `name: ${name}\nstart:\n${start}\npages:\n  page:\n    record:\n      url: { from: url }\n` +
        `politeness: { rate_per_host: 1000, retries: 0 }\nlimits: ${limits}\n` +
        `steps:\n  - export: { dataset: down }\n`,
    );
    return loadScraper(file);
  };

  it("fails before its steps, naming why, and leaves the dataset's latest version as it was", async () => {
    const good = await app.engine.run(await scraper("up", ["/ok"]));
    expect(good).toMatchObject({ status: "succeeded", datasetVersion: 1 });

    const run = await app.engine.run(await scraper("down", ["/status/404?a", "/status/404?b"]));
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(
      /^no page could be fetched: all 2 requests failed \(http_404 ×2, e\.g\. http:\/\/.*\/status\/404\?a\); the steps did not run/,
    );
    expect(run.datasetVersion).toBeNull();
    const warnings = (await app.store.logs.list(run.id, { level: "warn" })).map((l) => l.message);
    expect(warnings).toContain(`${site.url}/status/404?a failed: http_404 (HTTP 404)`);
    const steps = await app.store.steps.list(run.id);
    // The run ended inside its crawl; the export never ran.
    expect(steps.map((s) => s.status)).toEqual(["failed", "skipped"]);
    expect(await resolveVersion(app.paths.datasets, "down")).toBe(1);
  });

  it("still succeeds when one page of many was fetched", async () => {
    const run = await app.engine.run(await scraper("partly", ["/status/404?c", "/ok"]));
    expect(run.status).toBe("succeeded");
    expect(run.datasetVersion).not.toBeNull();
    expect(await resolveVersion(app.paths.datasets, "down")).toBe(run.datasetVersion);
  });

  it("fails when more requests failed than max_failed allows, as a share or as a count", async () => {
    const starts = ["/ok", "/status/500?a", "/status/500?b", "/status/404?d"];
    const share = await app.engine.run(await scraper("share", starts, '{ max_failed: "50%" }'));
    expect(share.status).toBe("failed");
    expect(share.error).toMatch(
      /^3 of 4 requests \(75 %\) failed, more than max_failed allows \(50%\): http_500 ×2, http_404 ×1, e\.g\. .*; the steps did not run/,
    );
    const count = await app.engine.run(await scraper("count", starts, "{ max_failed: 2 }"));
    expect(count.error).toMatch(/^3 of 4 requests \(75 %\) failed, more than max_failed allows \(2\)/);
    const enough = await app.engine.run(await scraper("enough", starts, "{ max_failed: 3 }"));
    expect(enough).toMatchObject({ status: "succeeded", error: null });
  });
});
