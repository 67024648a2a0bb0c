/** The health store's contract (issue 17), on SQLite and on PostgreSQL. */
import { expect, it } from "vitest";
import type { HealthSampleRecord } from "../../src/store/index.ts";
import { describeStores } from "./backends.ts";

const sample = (role: string, at: number, more: Partial<HealthSampleRecord> = {}): HealthSampleRecord => ({
  role,
  at,
  process: "h:1:x",
  rss: 100_000_000,
  heapUsed: 50_000_000,
  cpuPercent: 12.5,
  load: [0.5, 0.25, 1.75],
  memoryTotal: 8_000_000_000,
  memoryFree: 4_000_000_000,
  diskTotal: null,
  diskFree: null,
  activeRuns: 2,
  queuedRuns: 1,
  requestsPerSecond: 3.25,
  lagP99Ms: null,
  lagMaxMs: 10.5,
  ...more,
});

describeStores("health store", (open) => {
  it("gives each role's sampler lease to one owner until it expires or is given up", async () => {
    const store = await open();
    expect(await store.health.lead("serve", "a", 1000, 3000)).toBe(true);
    expect(await store.health.lead("worker", "b", 1000, 3000)).toBe(true);
    expect(await store.health.lead("serve", "b", 3999, 3000)).toBe(false);
    expect(await store.health.lead("serve", "a", 2000, 3000)).toBe(true); // renewed to 5000
    expect(await store.health.lead("serve", "b", 4999, 3000)).toBe(false);
    expect(await store.health.lead("serve", "b", 5000, 3000)).toBe(true);
    await store.health.resign("serve", "a"); // not the holder
    expect(await store.health.lead("serve", "a", 5001, 3000)).toBe(false);
    await store.health.resign("serve", "b");
    expect(await store.health.lead("serve", "a", 5002, 3000)).toBe(true);
    const raced = await Promise.all(
      ["p", "q", "r", "s", "t", "u"].map((o) => store.health.lead("race", o, 1, 10)),
    );
    expect(raced.filter(Boolean)).toHaveLength(1);
  });

  it("stores samples and runs' progress, lists a time range, the newest kept, and prunes", async () => {
    const store = await open();
    const { id: runId } = await store.runs.create(
      {
        scraper: "s",
        source: null,
        definitionHash: "h",
        targets: ["a"],
        breakpoints: [],
        steps: [{ name: "c", kind: "crawl" }],
      },
      1,
    );
    await store.health.add(sample("serve", 1000), [{ runId, at: 1000, pages: 1, requests: 2 }]);
    await store.health.add(sample("serve", 2000, { diskTotal: 9, diskFree: 3, lagP99Ms: 4.5 }));
    await store.health.add(sample("worker", 2000), [{ runId, at: 2000, pages: 5, requests: 9 }]);
    await store.health.add(sample("Serve", 2000));
    // A second sample of a role at one instant replaces the first, with its runs' progress.
    await store.health.add(sample("serve", 3000), [{ runId, at: 3000, pages: 7, requests: 10 }]);
    await store.health.add(sample("serve", 3000, { rss: 1, load: [3, 2, 1] }), [
      { runId, at: 3000, pages: 8, requests: 11 },
    ]);
    const all = await store.health.list({ from: 0, until: 10_000 });
    expect(all.map((s) => [s.at, s.role])).toEqual([
      [1000, "serve"],
      [2000, "worker"],
      [2000, "serve"],
      [2000, "Serve"],
      [3000, "serve"],
    ]);
    expect(all[0]).toEqual(sample("serve", 1000));
    expect(all[2]).toEqual(sample("serve", 2000, { diskTotal: 9, diskFree: 3, lagP99Ms: 4.5 }));
    expect(all[4]).toEqual(sample("serve", 3000, { rss: 1, load: [3, 2, 1] }));
    expect((await store.health.list({ role: "serve", from: 1000, until: 3000 })).map((s) => s.at)).toEqual([
      1000, 2000,
    ]);
    expect(
      (await store.health.list({ from: 0, until: 10_000, limit: 2 })).map((s) => [s.at, s.role]),
    ).toEqual([
      [2000, "Serve"],
      [3000, "serve"],
    ]);
    expect(await store.health.list({ role: "none", from: 0, until: 10_000 })).toEqual([]);
    expect(await store.health.listRun(runId, { from: 1000, until: 3001 })).toEqual([
      { runId, at: 1000, pages: 1, requests: 2 },
      { runId, at: 2000, pages: 5, requests: 9 },
      { runId, at: 3000, pages: 8, requests: 11 },
    ]);
    expect(await store.health.listRun(runId, { from: 1001, until: 3000 })).toHaveLength(1);
    expect(await store.health.prune(2000)).toBe(1);
    expect(await store.health.prune(2000)).toBe(0);
    expect((await store.health.list({ from: 0, until: 10_000 })).map((s) => s.at)).toEqual([
      2000, 2000, 2000, 3000,
    ]);
    expect((await store.health.listRun(runId, { from: 0, until: 10_000 })).map((s) => s.at)).toEqual([
      2000, 3000,
    ]);
  });
});
