/** The fleet's store contract (issue 17, item 7), on SQLite and on PostgreSQL. */
import { expect, it } from "vitest";
import type { WorkerReport } from "../../src/store/index.ts";
import { describeStores } from "./backends.ts";

/** A report of a worker on host `a` at heartbeat `at`. */
function report(id: string, at: number, patch: Partial<WorkerReport> = {}): WorkerReport {
  return {
    id,
    host: "a",
    pid: 101,
    kind: "worker",
    startedAt: 1000,
    heartbeatAt: at,
    runs: [],
    leases: 0,
    pagesPerSecond: 0,
    concurrency: 8,
    ...patch,
  };
}

describeStores("worker store", (open) => {
  it("keeps each worker's latest report, most recent heartbeat first, ids in bytewise order on ties", async () => {
    const store = await open();
    expect(await store.workers.list()).toEqual([]);
    const busy = report("a:101:x1", 5000, {
      runs: ["run-b", "run-a"],
      leases: 12,
      pagesPerSecond: 37.25,
      kind: "run",
    });
    await store.workers.report(report("a:101:x1", 2000));
    await store.workers.report(busy);
    // Same heartbeat: "B" before "a" in bytes (and not in a linguistic collation).
    await store.workers.report(report("a:9:z", 3000, { host: "b" }));
    await store.workers.report(report("B:7:y", 3000, { host: "B", pid: 7 }));
    expect(await store.workers.list()).toEqual([
      busy,
      report("B:7:y", 3000, { host: "B", pid: 7 }),
      report("a:9:z", 3000, { host: "b" }),
    ]);
  });

  it("forgets a worker that leaves, and prunes the ones not heard from since a time", async () => {
    const store = await open();
    for (const [id, at] of [
      ["w1", 1000],
      ["w2", 2000],
      ["w3", 3000],
    ] as const)
      await store.workers.report(report(id, at));
    await store.workers.leave("w3");
    await store.workers.leave("unknown");
    expect((await store.workers.list()).map((w) => w.id)).toEqual(["w2", "w1"]);
    // Strictly older than `before`: a worker heard from at that very time stays.
    expect(await store.workers.prune(2000)).toBe(1);
    expect(await store.workers.prune(2000)).toBe(0);
    expect((await store.workers.list()).map((w) => w.id)).toEqual(["w2"]);
  });
});
