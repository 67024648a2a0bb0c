/**
 * The step and log stores' contract (issue 17), on SQLite and on PostgreSQL: step checkpoints in
 * order; log lines appended in one event-loop turn written together after it (another process
 * sees none before, all after), in the order appended, reads seeing every line appended before
 * them, listing by position, level and limit, tallies, and pending lines written at close.
 */
import { expect, it } from "vitest";
import { openSqliteStore, type Store } from "../../src/store/index.ts";
import { openPgStore } from "../../src/store/pg-store.ts";
import { describeStores, locationOf } from "./backends.ts";

const newRun = {
  scraper: "shop",
  source: null,
  definitionHash: "h",
  targets: ["a"],
  breakpoints: [],
  steps: [
    { name: "crawl", kind: "crawl" },
    { name: "export", kind: "export" },
  ],
};

/** A second store on the same database: what another process sees. */
async function openAgain(store: Store): Promise<Store> {
  const { backend, location } = locationOf(store);
  return backend === "sqlite" ? openSqliteStore(location) : openPgStore(location);
}

describeStores("steps", (open) => {
  it("checkpoints steps in order, keeping the first start", async () => {
    const store = await open();
    const { id } = await store.runs.create(newRun, 1000);
    await store.steps.start(id, 1, 10);
    await store.steps.start(id, 1, 15); // re-entered after a crash
    expect((await store.steps.list(id))[1]).toMatchObject({
      status: "running",
      startedAt: 10,
      finishedAt: null,
    });
    await store.steps.finish(id, 1, 3, { dataset: "x", counts: { b: 2, a: 1 } }, 20);
    expect(await store.steps.list(id)).toEqual([
      {
        runId: id,
        index: 0,
        name: "crawl",
        kind: "crawl",
        status: "pending",
        startedAt: null,
        finishedAt: null,
        recordsOut: null,
        result: null,
      },
      {
        runId: id,
        index: 1,
        name: "export",
        kind: "export",
        status: "done",
        startedAt: 10,
        finishedAt: 20,
        recordsOut: 3,
        result: { dataset: "x", counts: { b: 2, a: 1 } },
      },
    ]);
    expect(Object.keys((await store.steps.list(id))[1]!.result!.counts as object)).toEqual(["b", "a"]);
    await store.steps.start("RUN-20260101-NOSUCH", 0, 1);
    await store.steps.finish("RUN-20260101-NOSUCH", 0, 0, {}, 1);
    expect(await store.steps.list("RUN-20260101-NOSUCH")).toEqual([]);
  });
});

describeStores("logs", (open, backend) => {
  it("writes the lines of one turn together after the turn, in the order appended", async () => {
    const store = await open();
    const { id } = await store.runs.create(newRun, 1000);
    const other = await openAgain(store);
    try {
      const appended = Array.from({ length: 500 }, (_, i) =>
        store.logs.append(id, i % 50 === 0 ? "warn" : "info", `line ${i}`, 2000 + i),
      );
      expect((await other.logs.tally(id)).counts).toEqual({ debug: 0, info: 0, warn: 0, error: 0 });
      await Promise.all(appended);
      expect(await other.logs.tally(id)).toEqual({
        counts: { debug: 0, info: 490, warn: 10, error: 0 },
        newestAt: 2499,
      });
      const lines = await other.logs.list(id);
      expect(lines.map((l) => l.message)).toEqual(Array.from({ length: 500 }, (_, i) => `line ${i}`));
      expect(lines[0]).toEqual({ id: lines[0]!.id, runId: id, at: 2000, level: "warn", message: "line 0" });
    } finally {
      await other.close();
    }
  });

  it("keeps the order of lines appended across turns while earlier ones are being written", async () => {
    const store = await open();
    const { id } = await store.runs.create(newRun, 1000);
    const appended: Promise<void>[] = [];
    for (let turn = 0; turn < 20; turn++) {
      for (let i = 0; i < 5; i++) appended.push(store.logs.append(id, "info", `${turn}.${i}`, turn));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const lines = await store.logs.list(id);
    expect(lines.map((l) => l.message)).toEqual(
      Array.from({ length: 100 }, (_, n) => `${Math.floor(n / 5)}.${n % 5}`),
    );
    await Promise.all(appended);
    expect(lines.map((l) => l.id)).toEqual([...lines.map((l) => l.id)].sort((a, b) => a - b));
  });

  it("reads see the lines appended before them, count them per level and filter by levels", async () => {
    const store = await open();
    const { id } = await store.runs.create(newRun, 1000);
    void store.logs.append(id, "info", "a", 1);
    void store.logs.append(id, "error", "b", 2);
    void store.logs.append(id, "warn", "c", 3);
    void store.logs.append(id, "info", "d", 4);
    expect(await store.logs.tally(id)).toEqual({
      counts: { debug: 0, info: 2, warn: 1, error: 1 },
      newestAt: 4,
    });
    void store.logs.append(id, "debug", "e", 5);
    const messages = async (options: Parameters<Store["logs"]["list"]>[1]) =>
      (await store.logs.list(id, options)).map((l) => l.message);
    expect(await messages({ levels: ["error", "info"] })).toEqual(["a", "b", "d"]);
    expect(await messages({ level: "warn" })).toEqual(["b", "c"]);
    expect(await messages({ levels: [] })).toEqual([]);
    expect(await messages(undefined)).toEqual(["a", "b", "c", "d", "e"]);
    expect(await messages({ level: "info", levels: ["debug"] })).toEqual(["e"]);
    const all = await store.logs.list(id);
    expect(await messages({ afterId: all[1]!.id, limit: 2 })).toEqual(["c", "d"]);
    expect(await messages({ afterId: all[4]!.id })).toEqual([]);
    // A NUL (PostgreSQL text cannot hold one) does not lose the line, nor its batch.
    void store.logs.append(id, "info", "f", 6);
    await store.logs.append(id, "error", "a\u0000b", 7);
    const nul = backend === "sqlite" ? "a\u0000b" : "a\ufffdb";
    expect(await messages({ afterId: all[4]!.id })).toEqual(["f", nul]);
    expect(await store.logs.tally("RUN-20260101-NOSUCH")).toEqual({
      counts: { debug: 0, info: 0, warn: 0, error: 0 },
      newestAt: null,
    });
    expect(await store.logs.list("RUN-20260101-NOSUCH")).toEqual([]);
  });

  it("keeps each run's lines apart, and writes pending lines when the store closes", async () => {
    const store = await open();
    const first = (await store.runs.create(newRun, 1000)).id;
    const second = (await store.runs.create(newRun, 2000)).id;
    const other = await openAgain(store);
    void other.logs.append(first, "warn", "last words", 5);
    void other.logs.append(second, "info", "elsewhere", 6);
    await other.close();
    expect((await store.logs.list(first)).map((l) => l.message)).toEqual(["last words"]);
    expect(await store.logs.tally(second)).toEqual({
      counts: { debug: 0, info: 1, warn: 0, error: 0 },
      newestAt: 6,
    });
  });
});
