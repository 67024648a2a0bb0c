/**
 * A request is its URL and its POST body (migration 11): POSTs to one URL with different bodies
 * are queued apart and keep their records apart; the same body again is a duplicate; a database
 * written before the migration keeps its requests and their dedupe.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formBody, jsonBody } from "../../src/core/index.ts";
import { openSqliteStore, type Store } from "../../src/store/index.ts";
import { migrations } from "../../src/store/migrations.ts";

let dir: string;
let store: Store | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "trawl-identity-"));
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const newRun = { scraper: "shop", source: null, definitionHash: "h", targets: ["t"], breakpoints: [] };
const steps = [{ name: "crawl", kind: "crawl" }];
const request = (url: string, body?: ReturnType<typeof formBody>) => ({
  url,
  pageType: "p",
  target: "t",
  depth: 0,
  ...(body && { body }),
});

describe("request identity", () => {
  it("is the URL and the POST body: dedupe, lease and records keep POSTs apart", async () => {
    store = openSqliteStore(join(dir, "t.db"));
    const run = await store.runs.create({ ...newRun, steps }, 1);
    const url = "http://shop.test/search";
    const lantern = formBody({ q: "lantern" });
    const rope = formBody({ q: "rope" });
    const added = await store.queue.enqueue(
      run.id,
      [request(url), request(url, lantern), request(url, rope), request(url, formBody({ q: "lantern" }))],
      2,
    );
    expect(added).toBe(3);
    expect(await store.queue.enqueue(run.id, [request(url, jsonBody({ q: "lantern" }))], 3)).toBe(1);
    const leased = await store.queue.lease(run.id, "me", 10, 4);
    expect(leased.map((r) => r.body ?? null)).toEqual([null, lantern, rope, jsonBody({ q: "lantern" })]);
    for (const r of leased.slice(1, 3)) {
      const records = [{ target: "t", data: { q: r.body!.text } }];
      await store.queue.complete(run.id, r.id, { ok: true, httpStatus: 200 }, records, [], 5);
    }
    const stored: unknown[] = [];
    for await (const record of store.records.read(run.id, 0)) stored.push(record);
    expect(stored).toHaveLength(2);
    expect(stored).toEqual(expect.arrayContaining([{ q: "q=lantern" }, { q: "q=rope" }]));
  });

  it("survives the migration: requests of an older database keep their state and dedupe", async () => {
    const path = join(dir, "old.db");
    const old = openSqliteStore(path, { migrations: migrations.filter((m) => m.version < 11) });
    const run = await old.runs.create({ ...newRun, steps }, 1);
    await old.close();
    // Rows as the queue of version 10 wrote them.
    const db = new Database(path);
    const insert = db.prepare(
      "INSERT INTO requests (run_id, url, page_type, target, depth, state, updated_at) VALUES (?, ?, 'p', 't', 0, ?, 2)",
    );
    insert.run(run.id, "http://shop.test/a", "pending");
    insert.run(run.id, "http://shop.test/b", "done");
    db.close();
    store = openSqliteStore(path);
    expect(await store.queue.enqueue(run.id, [request("http://shop.test/a")], 3)).toBe(0);
    const leased = await store.queue.lease(run.id, "me", 10, 4);
    expect(leased.map((r) => [r.url, r.body])).toEqual([["http://shop.test/a", undefined]]);
    expect(await store.queue.enqueue(run.id, [request("http://shop.test/b", formBody({}))], 5)).toBe(1);
  });
});
