/**
 * A request is its URL and its POST body (migration 11): a database written before the migration
 * keeps its requests and their dedupe. (POSTs kept apart by dedupe, lease and records: on both
 * backends in queue-contract.test.ts.)
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formBody } from "../../src/core/index.ts";
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
