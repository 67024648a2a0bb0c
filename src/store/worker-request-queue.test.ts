import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openSqliteStore } from "./sqlite-store.ts";
import type { Store } from "./types.ts";
import type { WorkerRequestQueue } from "./worker-request-queue.ts";

let dir: string;
let store: Store | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "trawl-worker-queue-"));
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const run = { scraper: "s", source: null, definitionHash: "h", targets: ["t"], breakpoints: [] };
const request = (url: string) => ({ url, pageType: "p", target: "t", depth: 0 });

/** Opens the store with its queue's thread booted, so that calls go to the thread. */
async function openStarted(path: string): Promise<Store> {
  const opened = openSqliteStore(path);
  await (opened.queue as WorkerRequestQueue).started();
  return opened;
}

it("executes calls made without waiting in order, each committed before it resolves", async () => {
  store = await openStarted(join(dir, "t.db"));
  const { id } = await store.runs.create({ ...run, steps: [{ name: "crawl", kind: "crawl" }] }, 1);
  // Not awaited one by one: the lease must see the enqueue issued just before it.
  const added = store.queue.enqueue(id, [request("http://a/1"), request("http://a/2")], 2);
  const leased = store.queue.lease(id, "me", 10, 3);
  expect(await added).toBe(2);
  const [first, second] = await leased;
  const completed = store.queue.completeMany(
    id,
    [
      {
        requestId: first!.id,
        outcome: { ok: true, httpStatus: 200 },
        records: [{ target: "t", data: { n: 1 } }],
        links: [request("http://a/3")],
      },
      {
        requestId: second!.id,
        outcome: { ok: false, reason: "timeout", error: "slow" },
        records: [],
        links: [],
      },
    ],
    4,
  );
  expect(await completed).toEqual([1, 0]);
  // Resolved means committed: the main connection and an outside reader both see it.
  expect(await store.queue.counts(id)).toEqual([
    { target: "t", pending: 1, leased: 0, done: 1, failed: 1, records: 1 },
  ]);
  const outside = new Database(join(dir, "t.db"), { readonly: true });
  expect(outside.prepare("SELECT COUNT(*) AS n FROM records").get()).toEqual({ n: 1 });
  outside.close();
});

it("rejects a failed call with the writer's error and keeps working", async () => {
  store = await openStarted(join(dir, "t.db"));
  const { id } = await store.runs.create({ ...run, steps: [{ name: "crawl", kind: "crawl" }] }, 1);
  await expect(store.queue.complete(id, 12345, { ok: true, httpStatus: 200 }, [], [], 2)).rejects.toThrow(
    /request 12345 of run .* does not exist/,
  );
  expect(await store.queue.enqueue(id, [request("http://a/1")], 3)).toBe(1);
});

it("closes with its calls finished, and refuses calls afterwards", async () => {
  const path = join(dir, "t.db");
  const opened = await openStarted(path);
  const { id } = await opened.runs.create({ ...run, steps: [{ name: "crawl", kind: "crawl" }] }, 1);
  const added = opened.queue.enqueue(id, [request("http://a/1")], 2);
  await opened.close();
  expect(await added).toBe(1);
  await expect(opened.queue.enqueue(id, [request("http://a/2")], 3)).rejects.toThrow(/closed/);
  store = openSqliteStore(path);
  expect((await store.queue.counts(id))[0]?.pending).toBe(1);
});

it("executes calls on the main connection until the thread is ready, in order with later ones", async () => {
  store = openSqliteStore(join(dir, "t.db"));
  const { id } = await store.runs.create({ ...run, steps: [{ name: "crawl", kind: "crawl" }] }, 1);
  expect(await store.queue.enqueue(id, [request("http://a/1")], 2)).toBe(1);
  await (store.queue as WorkerRequestQueue).started();
  expect(await store.queue.enqueue(id, [request("http://a/1"), request("http://a/2")], 3)).toBe(1);
  expect((await store.queue.lease(id, "me", 10, 4)).map((r) => r.url)).toEqual(["http://a/1", "http://a/2"]);
});
