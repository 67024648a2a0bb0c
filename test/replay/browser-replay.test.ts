/**
 * Replaying browser pages: the same definition replays from the recorded documents; changed
 * actions load the page again in the browser, answered from the recorded network responses
 * (documents, XHR, scripts) with the site gone, and what the recording lacks is reported.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, replayRun } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { browserRoutes } from "../fixtures/browser-site.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

let dir: string;
let home: string;
let site: FaultSite;
let recordedRun: string;
let shortRun: string;

const feed = (url: string, scroll: string) => `name: feed
start: ${url}/feed
engine: browser
pages:
  feed:
    actions:
      - scroll: ${scroll}
    records: { each: li.item, fields: { title: a } }
politeness: { robots: ignore, rate_per_host: 100, retries: 0, timeout: 20s }
`;

async function record(name: string, yaml: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const app = await App.open({ home });
  try {
    const scraper = await loadScraper(file);
    const run = await app.engine.create(scraper, { record: true });
    expect((await app.engine.execute(run.id, scraper)).status).toBe("succeeded");
    return run.id;
  } finally {
    await app.close();
  }
}

async function replay(runId: string, yaml: string) {
  const file = join(dir, `replayed-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  const app = await App.open({ home });
  try {
    return await replayRun(app, runId, file);
  } finally {
    await app.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-browser-replay-"));
  home = join(dir, "home");
  site = await startFaultSite({ routes: browserRoutes().routes });
  recordedRun = await record("feed", feed(site.url, "{ until: no_new_content, wait: 1500ms }"));
  shortRun = await record("short", feed(site.url, "{ times: 1, wait: 1500ms }"));
  await site.close();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("browser replay", () => {
  it("replays the same definition from the recorded documents", async () => {
    const report = await replay(recordedRun, feed(site.url, "{ until: no_new_content, wait: 1500ms }"));
    expect(report).toMatchObject({ identical: true, missing: [], counts: { recorded: 50, replayed: 50 } });
  });

  it("replays changed actions in the browser from the recorded responses", async () => {
    const report = await replay(recordedRun, feed(site.url, "{ times: 2, wait: 1500ms }"));
    expect(report.status).toBe("succeeded");
    expect(report.missing).toEqual([]);
    expect(report.counts).toEqual({ recorded: 50, replayed: 30 });
    expect(report.records.counts).toEqual({ added: 0, removed: 20, changed: 0 });
  }, 60_000);

  it("reports the requests a changed action needs that the recording lacks", async () => {
    const report = await replay(shortRun, feed(site.url, "{ until: no_new_content, wait: 1500ms }"));
    expect(report.missing).toEqual([`${site.url}/feed/items?page=2`]);
    expect(report.counts).toEqual({ recorded: 20, replayed: 20 });
  }, 60_000);
});
