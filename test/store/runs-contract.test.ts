/**
 * The run store's contract (issue 17), on SQLite and on PostgreSQL: run ids, listing (filters,
 * order, pages), updates and transitions only from the expected statuses, claims, heartbeats and
 * control commands, and the census.
 */
import pg from "pg";
import { expect, it } from "vitest";
import type { NewRun, Store } from "../../src/store/index.ts";
import { openPgStore } from "../../src/store/pg-store.ts";
import { describeStores, locationOf } from "./backends.ts";

const steps = [
  { name: "crawl", kind: "crawl" },
  { name: "export", kind: "export" },
];
const newRun: NewRun = {
  scraper: "shop",
  source: null,
  definitionHash: "h",
  targets: ["a", "b"],
  breakpoints: [],
  steps,
};
const NOON = Date.UTC(2026, 10, 22, 12);

async function create(store: Store, now: number, run: Partial<NewRun> = {}): Promise<string> {
  return (await store.runs.create({ ...newRun, ...run }, now)).id;
}

describeStores("runs", (open, backend) => {
  it("creates queued runs with every field, and their steps as pending", async () => {
    const store = await open();
    const run = await store.runs.create(
      {
        ...newRun,
        source: "/defs/shop.yaml",
        breakpoints: ["export"],
        options: { record: true, startData: { datasets: { seeds: 3 }, files: { "/s.txt": "abc" } } },
        recordKey: ["sku", "url"],
      },
      NOON,
    );
    expect(run).toEqual({
      id: expect.stringMatching(/^RUN-20261122-[0-9A-F]{6}$/),
      scraper: "shop",
      source: "/defs/shop.yaml",
      definitionHash: "h",
      status: "queued",
      createdAt: NOON,
      startedAt: null,
      finishedAt: null,
      updatedAt: NOON,
      error: null,
      owner: null,
      heartbeatAt: null,
      control: null,
      pauseReason: null,
      breakpoints: ["export"],
      targets: ["a", "b"],
      steps: ["crawl", "export"],
      stats: {},
      datasetName: null,
      datasetVersion: null,
      options: { record: true, startData: { datasets: { seeds: 3 }, files: { "/s.txt": "abc" } } },
      recordKey: ["sku", "url"],
    });
    expect(await store.runs.get(run.id)).toEqual(run);
    expect((await store.runs.create(newRun, NOON + 1)).recordKey).toBeNull();
    expect(await store.steps.list(run.id)).toEqual([
      expect.objectContaining({ runId: run.id, index: 0, name: "crawl", kind: "crawl", status: "pending" }),
      expect.objectContaining({ runId: run.id, index: 1, name: "export", kind: "export", status: "pending" }),
    ]);
    expect(await store.runs.get("RUN-20260101-NOSUCH")).toBeNull();
  });

  it("gives runs created at once unique, time-sorted ids, newest listed first", async () => {
    const store = await open();
    // Concurrent creations race for the same ids (PostgreSQL: on several connections).
    const ids = await Promise.all(Array.from({ length: 40 }, () => create(store, NOON)));
    expect(new Set(ids).size).toBe(40);
    const later = await create(store, NOON + 60_000);
    expect(ids.every((id) => id < later)).toBe(true);
    expect((await store.runs.list()).map((r) => r.id)).toEqual([...ids, later].sort().reverse());
  });

  it("lists by scraper, part of its name (ASCII case ignored, wildcards literal), status and dates", async () => {
    const store = await open();
    const shop = await create(store, NOON, { scraper: "Shop_Éte" });
    const news = await create(store, NOON + 1000, { scraper: "news%" });
    const other = await create(store, NOON + 2000, { scraper: "shopXete" });
    await store.runs.update(news, { status: "running" });
    const ids = async (filter: Parameters<Store["runs"]["list"]>[0]) =>
      (await store.runs.list(filter)).map((r) => r.id);
    expect(await ids({ scraper: "Shop_Éte" })).toEqual([shop]);
    expect(await ids({ scraper: "shop_éte" })).toEqual([]);
    expect(await ids({ scraperContains: "shop" })).toEqual([other, shop]);
    expect(await ids({ scraperContains: "P_é" })).toEqual([]); // É is not an ASCII letter
    expect(await ids({ scraperContains: "P_É" })).toEqual([shop]); // _ is not a wildcard
    expect(await ids({ scraperContains: "S%" })).toEqual([news]);
    expect(await ids({ scraperContains: "\\" })).toEqual([]);
    expect(await ids({ statuses: ["running"] })).toEqual([news]);
    expect(await ids({ statuses: ["queued", "running"] })).toEqual([other, news, shop]);
    expect(await ids({ statuses: [] })).toEqual([other, news, shop]);
    expect(await ids({ createdFrom: NOON + 1000, createdUntil: NOON + 2000 })).toEqual([news]);
    expect(await ids({ scraperContains: "nothing" })).toEqual([]);
  });

  it("pages newest first by id, and lists changes oldest first after an instant", async () => {
    const store = await open();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await create(store, NOON + i * 1000));
    const first = await store.runs.list({ limit: 2 });
    expect(first.map((r) => r.id)).toEqual([ids[4], ids[3]]);
    const second = await store.runs.list({ limit: 2, before: first.at(-1)!.id });
    expect(second.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    expect((await store.runs.list({ limit: 2, before: ids[1] })).map((r) => r.id)).toEqual([ids[0]]);
    await store.runs.update(ids[3]!, { updatedAt: NOON + 10_000, error: "x" });
    await store.runs.update(ids[1]!, { updatedAt: NOON + 9000, error: "y" });
    await store.runs.update(ids[0]!, { updatedAt: NOON + 9000, error: "z" });
    const changed = await store.runs.list({ updatedAfter: NOON + 5000 });
    expect(changed.map((r) => r.id)).toEqual([ids[0], ids[1], ids[3]]);
  });

  it("updates fields (JSON ones too), only from the expected statuses", async () => {
    const store = await open();
    const id = await create(store, 1000);
    expect(
      await store.runs.update(id, { status: "running", startedAt: 2000, updatedAt: 2000 }, ["queued"]),
    ).toBe(true);
    expect(await store.runs.update(id, { status: "running" }, ["queued"])).toBe(false);
    const patch = {
      stats: { pages: 3, hosts: { a: 1 } },
      breakpoints: ["crawl"],
      datasetName: "d",
      datasetVersion: 2,
      pauseReason: "why",
      updatedAt: 3000,
      scraper: "ignored",
    };
    expect(await store.runs.update(id, patch)).toBe(true);
    expect(await store.runs.get(id)).toMatchObject({
      status: "running",
      startedAt: 2000,
      updatedAt: 3000,
      scraper: "shop",
      stats: { pages: 3, hosts: { a: 1 } },
      breakpoints: ["crawl"],
      datasetName: "d",
      datasetVersion: 2,
      pauseReason: "why",
    });
    expect(await store.runs.update("RUN-20260101-NOSUCH", { error: "x" })).toBe(false);
    // A NUL (PostgreSQL text cannot hold one) does not fail the update.
    expect(await store.runs.update(id, { error: "a\u0000b", stats: { nul: "\u0000" } })).toBe(true);
    expect(await store.runs.get(id)).toMatchObject({
      error: backend === "sqlite" ? "a\u0000b" : "a\ufffdb",
      stats: { nul: "\u0000" },
    });
  });

  it("moves the run and its steps together, or neither when the run is not in an expected status", async () => {
    const store = await open();
    const id = await create(store, 1000);
    await store.steps.start(id, 0, 1500);
    const end = {
      patch: { status: "failed" as const, finishedAt: 2000, error: "boom" },
      expect: ["running" as const],
      steps: [{ from: ["running" as const, "pending" as const], to: "failed" as const }],
    };
    expect(await store.runs.transition(id, end)).toBe(false);
    expect((await store.steps.list(id)).map((s) => s.status)).toEqual(["running", "pending"]);
    await store.runs.update(id, { status: "running" });
    expect(await store.runs.transition(id, end)).toBe(true);
    expect(await store.runs.get(id)).toMatchObject({ status: "failed", finishedAt: 2000, error: "boom" });
    expect((await store.steps.list(id)).map((s) => s.status)).toEqual(["failed", "failed"]);
    expect(await store.runs.transition("RUN-20260101-NOSUCH", { ...end, expect: undefined })).toBe(false);
  });

  it("claims only unowned or stale runs, and passes control commands to the owner once", async () => {
    const store = await open();
    const id = await create(store, 1000);
    expect(await store.runs.claim(id, "p1", 1000, 0)).toBe(true);
    expect(await store.runs.get(id)).toMatchObject({ owner: "p1", heartbeatAt: 1000, updatedAt: 1000 });
    expect(await store.runs.claim(id, "p2", 2000, 500)).toBe(false);
    expect(await store.runs.claim(id, "p1", 2000, 500)).toBe(true); // its own run again
    await store.runs.requestControl(id, "pause");
    expect((await store.runs.get(id))?.control).toBe("pause");
    expect(await store.runs.heartbeat(id, "p2", 3000)).toBeNull(); // not the owner: nothing taken
    expect(await store.runs.heartbeat(id, "p1", 3000)).toBe("pause");
    expect(await store.runs.heartbeat(id, "p1", 4000)).toBeNull();
    expect((await store.runs.get(id))?.heartbeatAt).toBe(4000);
    await store.runs.requestControl(id, "stop");
    expect(await store.runs.claim(id, "p2", 30_000, 10_000)).toBe(true); // stale: taken over
    expect(await store.runs.get(id)).toMatchObject({ owner: "p2", heartbeatAt: 30_000, control: null });
    expect(await store.runs.heartbeat(id, "p1", 31_000)).toBeNull();
    await store.runs.requestControl("RUN-20260101-NOSUCH", "cancel");
    expect(await store.runs.claim("RUN-20260101-NOSUCH", "p1", 1, 0)).toBe(false);
    expect(await store.runs.heartbeat("RUN-20260101-NOSUCH", "p1", 1)).toBeNull();
  });

  it("never loses a control command requested while the owner heartbeats", async () => {
    const store = await open();
    const id = await create(store, 1000);
    await store.runs.claim(id, "p1", 1000, 0);
    let received = 0;
    for (let i = 0; i < 60; i++) {
      const [, during] = await Promise.all([
        store.runs.requestControl(id, "pause"),
        store.runs.heartbeat(id, "p1", 2000 + i),
      ]);
      const after = await store.runs.heartbeat(id, "p1", 2000 + i);
      received += [during, after].filter((control) => control === "pause").length;
    }
    expect(received).toBe(60);
  });

  it("lets one of several processes claiming a run at once have it", async () => {
    const store = await open();
    const id = await create(store, 1000);
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.runs.claim(id, `p${i}`, 2000, 1500)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("counts runs per status, and live runs' requests per state, in the census", async () => {
    const store = await open();
    expect(await store.runs.census()).toEqual({ runs: [], requests: [] });
    const ids: string[] = [];
    for (const status of ["running", "queued", "succeeded", "running"] as const) {
      const id = await create(store, 1000);
      await store.runs.update(id, { status });
      const urls = ["http://x/1", "http://x/2", "http://x/3"];
      await store.queue.enqueue(
        id,
        urls.map((url) => ({ url, pageType: "list", target: "a", depth: 0 })),
        1,
      );
      ids.push(id);
    }
    const [leased] = await store.queue.lease(ids[0]!, "p1", 2, 2);
    const page = { target: "a", data: {} };
    await store.queue.complete(ids[0]!, leased!.id, { ok: true, httpStatus: 200 }, [page, page], [], 3);
    expect(await store.runs.census()).toEqual({
      runs: [
        { status: "queued", count: 1 },
        { status: "running", count: 2 },
        { status: "succeeded", count: 1 },
      ],
      requests: [
        { status: "queued", state: "pending", count: 3, records: 0 },
        { status: "running", state: "done", count: 1, records: 2 },
        { status: "running", state: "leased", count: 1, records: 0 },
        { status: "running", state: "pending", count: 4, records: 0 },
      ],
    });
  });
});

describeStores(
  "runs shared by processes",
  (open) => {
    it("tells every listening process of a command at once, requested or applied by the coordinator", async () => {
      const store = await open();
      const other = await openPgStore(locationOf(store).location);
      const heard: string[] = [];
      const stop = other.runs.watchControls!((runId, control) => heard.push(`${runId} ${control}`));
      try {
        const id = await create(store, 1000);
        await store.runs.claim(id, "coordinator", 1000, 0);
        // The listener's connection is up once it hears anything: wait for a first command.
        await expect
          .poll(async () => {
            await store.runs.requestControl(id, "pause");
            return heard.length;
          })
          .toBeGreaterThan(0);
        // The coordinator clears the column at its heartbeat; the workers heard it anyway.
        await store.runs.requestControl(id, "stop");
        expect(await store.runs.heartbeat(id, "coordinator", 2000)).toBe("stop");
        await store.runs.announceControl!(id, "cancel");
        await store.runs.requestControl("RUN-20260101-NOSUCH", "cancel");
        // (Late echoes of the first pauses aside.)
        await expect
          .poll(() => heard.filter((h) => !h.endsWith("pause")))
          .toEqual([`${id} stop`, `${id} cancel`]);
      } finally {
        stop();
        await other.close();
      }
    });

    it("heartbeats without waiting for the transactions storing the run's pages", async () => {
      const store = await open();
      const id = await create(store, 1000);
      await store.runs.claim(id, "coordinator", 1000, 0);
      // A completion in progress on another machine: its inserts of the run's requests hold a
      // key-share lock on the run's row (the foreign key) until it commits.
      const client = new pg.Client({ connectionString: locationOf(store).location });
      await client.connect();
      try {
        await client.query("BEGIN");
        await client.query(
          "INSERT INTO requests (run_id, url, page_type, target, depth, updated_at) VALUES ($1, 'http://x/1', 'list', 'a', 0, 1)",
          [id],
        );
        await store.runs.requestControl(id, "pause");
        // A heartbeat that waited for it would stall every other process's completions behind it.
        const timeout = new Promise((resolve) => setTimeout(() => resolve("waited"), 3000));
        expect(await Promise.race([store.runs.heartbeat(id, "coordinator", 2000), timeout])).toBe("pause");
      } finally {
        await client.query("ROLLBACK");
        await client.end();
      }
    });
  },
  ["postgres"],
);
