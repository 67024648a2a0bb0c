import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, describeRun } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import type { FaultSite } from "../fixtures/fault-site.ts";
import { slowSiteYaml, startSlowSite } from "./slow-site.ts";

let dir: string;
let site: FaultSite;
let app: App;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-limits-"));
  site = await startSlowSite(30, 1);
  app = await App.open({ home: join(dir, "home") });
});

afterAll(async () => {
  await app.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runWith(name: string, limits: string, pad?: (i: number) => string) {
  const file = join(dir, `${name}.yaml`);
  if (pad) {
    await site.close();
    site = await startSlowSite(30, 1, pad);
  }
  writeFileSync(
    file,
    `${slowSiteYaml(site.url, 2).replace("name: slow", `name: ${name}`)}limits: ${limits}\n`,
  );
  const run = await app.engine.run(await loadScraper(file));
  return { run, summary: await describeRun(app.store, run), logs: await app.store.logs.list(run.id) };
}

describe("limits", () => {
  it("max_pages stops taking requests, and the run succeeds with what it has", async () => {
    const { summary, logs } = await runWith("paged", "{ max_pages: 5 }");
    expect(summary.status).toBe("succeeded");
    expect(summary.pages.done).toBe(5);
    expect(summary.records).toBe(4);
    expect(logs.some((l) => l.level === "warn" && l.message.includes("max_pages (5)"))).toBe(true);
  });

  it("max_depth keeps deeper links out of the queue", async () => {
    const { summary } = await runWith("shallow", "{ max_depth: 0 }");
    expect(summary).toMatchObject({ status: "succeeded", records: 0, pages: { done: 1, pending: 0 } });
  });

  it("max_url_length skips longer links", async () => {
    // Item links are `${site}/delay/1?i=N`; a padded query makes every third one too long.
    const { summary } = await runWith("short", "{ max_url_length: 64 }", (i) =>
      i % 3 === 0 ? "&pad=" + "x".repeat(40) : "",
    );
    expect(summary.records).toBe(20);
  });
});
