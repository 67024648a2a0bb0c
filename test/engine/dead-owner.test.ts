/**
 * A process killed between claiming a run and starting it leaves the run claimed by a process
 * that is gone, with a fresh heartbeat: the next `trawl resume` must take it over at once, not
 * call it busy until the heartbeat goes stale (crash-resume.test.ts's SIGKILLs hit that window
 * now and then).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import type { FaultSite } from "../fixtures/fault-site.ts";
import { slowSiteYaml, startSlowSite } from "./slow-site.ts";

let dir: string;
let site: FaultSite;
let app: App;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-dead-owner-"));
  site = await startSlowSite(3, 1);
  app = await App.open({ home: join(dir, "home") });
});

afterAll(async () => {
  await app.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a run claimed by a process that is gone", () => {
  it("is taken over at once, its heartbeat fresh or not", async () => {
    const file = join(dir, "slow.yaml");
    writeFileSync(file, slowSiteYaml(site.url, 2));
    const scraper = await loadScraper(file);
    const run = await app.engine.create(scraper);
    // Interrupted before (a run an earlier kill left), then claimed by a `trawl resume` that was
    // killed at once: the run is still `interrupted`, so nothing marks it interrupted again.
    await app.store.runs.update(run.id, { status: "interrupted" });
    // A process that has exited: its pid is free, as a SIGKILLed owner's is.
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    const now = Date.now();
    expect(await app.store.runs.claim(run.id, `${hostname()}:${gone}:dead`, now, now)).toBe(true);
    const finished = await app.engine.execute(run.id, scraper);
    expect(finished.status).toBe("succeeded");
  });
});
