import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import type { TrawlEvent } from "../../src/core/events.ts";
import { InvalidTransitionError } from "../../src/engine/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import type { CompiledScraper } from "../../src/pipeline/types.ts";
import type { FaultSite } from "../fixtures/fault-site.ts";
import { slowSiteYaml, startSlowSite } from "./slow-site.ts";

const ITEMS = 24;
let dir: string;
let app: App;
let site: FaultSite;
let scraper: CompiledScraper;
let events: TrawlEvent[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-engine-"));
  site = await startSlowSite(ITEMS, 150);
  writeFileSync(join(dir, "slow.yaml"), slowSiteYaml(site.url));
  scraper = await loadScraper(join(dir, "slow.yaml"));
  app = await App.open({ home: join(dir, "home") });
  events = [];
  app.engine.bus.subscribe((event) => events.push(event));
});

afterEach(async () => {
  await app.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves once `predicate` holds for an emitted event. */
function eventually(predicate: (event: TrawlEvent) => boolean): Promise<TrawlEvent> {
  const seen = events.find(predicate);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const unsubscribe = app.engine.bus.subscribe((event) => {
      if (!predicate(event)) return;
      unsubscribe();
      resolve(event);
    });
  });
}

const itemHits = () => site.log().filter((hit) => hit.path.startsWith("/delay/")).length;
const finishedItems = () =>
  events.filter((e) => e.type === "request.finished" && e.url.includes("/delay/")).length;

async function finalUrls(runId: string): Promise<string[]> {
  const urls: string[] = [];
  for await (const record of app.store.records.read(runId, 3)) urls.push((record as { url: string }).url);
  return urls.sort();
}

describe("engine control on real runs", () => {
  it("an uninterrupted run stores every record once and publishes the dataset", async () => {
    const run = await app.engine.run(scraper);
    expect(run).toMatchObject({ status: "succeeded", datasetName: "items", datasetVersion: 1 });
    expect(await finalUrls(run.id)).toHaveLength(ITEMS);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("run.queued");
    expect(types).toContain("progress.updated");
    expect(types.at(-1)).toBe("run.finished");
  });

  it("pause lets in-flight requests finish, sends nothing new, and resume completes the run", async () => {
    const created = await app.engine.create(scraper);
    const done = app.engine.execute(created.id, scraper);
    await eventually((e) => e.type === "request.finished" && e.url.includes("/delay/"));
    await app.engine.pause(created.id);
    await eventually((e) => e.type === "run.paused");
    expect((await app.store.runs.get(created.id))!.status).toBe("paused");
    const hitsAtPause = itemHits();
    expect(finishedItems()).toBe(hitsAtPause); // in-flight requests finished before the pause was recorded
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(itemHits()).toBe(hitsAtPause);
    await app.engine.resume(created.id);
    const run = await done;
    expect(run.status).toBe("succeeded");
    expect(await finalUrls(run.id)).toHaveLength(ITEMS);
    expect(events.some((e) => e.type === "run.resumed")).toBe(true);
  });

  it("stop leaves a resumable run that finishes with exactly the records of an uninterrupted one", async () => {
    const created = await app.engine.create(scraper);
    const first = app.engine.execute(created.id, scraper);
    await eventually((e) => e.type === "request.finished" && e.url.includes("/delay/"));
    await app.engine.stop(created.id);
    const stopped = await first;
    expect(stopped).toMatchObject({ status: "paused", pauseReason: "stopped", owner: null });
    expect(itemHits()).toBeLessThan(ITEMS);
    const resumed = await app.engine.execute(created.id, scraper);
    expect(resumed.status).toBe("succeeded");
    const urls = await finalUrls(created.id);
    expect(new Set(urls).size).toBe(ITEMS);
    expect(urls).toHaveLength(ITEMS);
  });

  it("a run resumed with a changed definition records it as the one it executes (its workers load that one)", async () => {
    const created = await app.engine.create(scraper);
    const first = app.engine.execute(created.id, scraper);
    await eventually((e) => e.type === "request.finished" && e.url.includes("/delay/"));
    await app.engine.stop(created.id);
    await first;
    const changed = join(dir, "changed.yaml");
    writeFileSync(changed, slowSiteYaml(site.url).replace(/^name: (.*)$/m, "name: $1\n# changed"));
    const edited = await loadScraper(changed);
    expect(edited.hash).not.toBe(scraper.hash);
    const resumed = await app.engine.execute(created.id, edited);
    expect(resumed).toMatchObject({ status: "succeeded", definitionHash: edited.hash, source: changed });
  });

  it("cancel aborts in-flight requests and the run cannot be resumed", async () => {
    const created = await app.engine.create(scraper);
    const done = app.engine.execute(created.id, scraper);
    await eventually((e) => e.type === "request.finished" && e.url.includes("/delay/"));
    await app.engine.cancel(created.id);
    const run = await done;
    expect(run.status).toBe("cancelled");
    expect((await app.store.steps.list(run.id))[0]!.status).not.toBe("done");
    await expect(app.engine.execute(run.id, scraper)).rejects.toBeInstanceOf(InvalidTransitionError);
  });

  it("a breakpoint pauses before the named step with the earlier steps checkpointed", async () => {
    const created = await app.engine.create(scraper, { breakpoints: ["dedupe"] });
    const done = app.engine.execute(created.id, scraper);
    const paused = await eventually((e) => e.type === "run.paused");
    expect(paused).toMatchObject({ reason: "breakpoint", step: "dedupe" });
    const steps = await app.store.steps.list(created.id);
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ["crawl", "done"],
      ["validate", "done"],
      ["dedupe", "pending"],
      ["export", "pending"],
    ]);
    expect((await app.store.runs.get(created.id))!.pauseReason).toBe("breakpoint:dedupe");
    await app.engine.resume(created.id);
    expect((await done).status).toBe("succeeded");
  });

  it("a run stopped at a breakpoint resumes past it", async () => {
    const created = await app.engine.create(scraper, { breakpoints: ["export"] });
    const first = app.engine.execute(created.id, scraper);
    await eventually((e) => e.type === "run.paused");
    await app.engine.stop(created.id);
    expect((await first).pauseReason).toBe("breakpoint:export");
    const resumed = await app.engine.execute(created.id, scraper);
    expect(resumed).toMatchObject({ status: "succeeded", datasetVersion: 1 });
  });

  it("refuses breakpoints on steps the scraper does not have", async () => {
    await expect(app.engine.create(scraper, { breakpoints: ["nope"] })).rejects.toThrow(/no step named nope/);
    expect(await app.store.runs.list()).toEqual([]);
  });
});
