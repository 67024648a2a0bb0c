/**
 * The fleet's reporter on a real SQLite store, time driven by hand: pages/s over the interval
 * since the previous report, the process's host and pid from its owner id, nothing left behind by
 * `stop` (a report still in progress cannot come back after it), and `commandOfProcess`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { ManualClock } from "../core/clock.ts";
import { openSqliteStore, type Store } from "../store/index.ts";
import { commandOfProcess, WorkerReporter, type WorkerActivity } from "./worker-reporter.ts";

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openStore(): Store {
  const dir = mkdtempSync(join(tmpdir(), "trawl-reporter-"));
  dirs.push(dir);
  const store = openSqliteStore(join(dir, "trawl.db"));
  stores.push(store);
  return store;
}

it("reports pages/s over each interval and leaves the fleet on stop", async () => {
  const store = openStore();
  const clock = new ManualClock(10_000);
  const activity: WorkerActivity = { runs: ["RUN-1"], leases: 3, concurrency: 8, pagesDone: 0 };
  const reporter = new WorkerReporter({
    workers: store.workers,
    id: "box-1:4242:abc",
    kind: "worker",
    activity: () => ({ ...activity }),
    clock,
  });
  await reporter.report();
  expect(await store.workers.list()).toEqual([
    {
      id: "box-1:4242:abc",
      host: "box-1",
      pid: 4242,
      kind: "worker",
      startedAt: 10_000,
      heartbeatAt: 10_000,
      runs: ["RUN-1"],
      leases: 3,
      pagesPerSecond: 0,
      concurrency: 8,
    },
  ]);
  clock.advance(2000);
  activity.pagesDone = 7;
  await reporter.report();
  expect((await store.workers.list())[0]).toMatchObject({ heartbeatAt: 12_000, pagesPerSecond: 3.5 });

  // A report asked for just before stop does not outlive it, nor does one asked for after.
  void reporter.report();
  await reporter.stop();
  expect(await store.workers.list()).toEqual([]);
  await reporter.report();
  expect(await store.workers.list()).toEqual([]);
});

it("tells the command of a process by its first word that is not an option", () => {
  expect(commandOfProcess(["node", "trawl", "run", "shop.yaml"])).toBe("run");
  expect(commandOfProcess(["node", "trawl", "--home", "/tmp/x", "serve"])).toBe("serve");
  expect(commandOfProcess(["node", "trawl", "--database", "postgres://h/db", "--json", "worker"])).toBe(
    "worker",
  );
  expect(commandOfProcess(["node", "vitest.mjs"])).toBe("trawl");
});
