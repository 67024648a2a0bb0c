import Database from "better-sqlite3";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CorruptDatabaseError, openSqliteStore, type Store } from "../../src/store/index.ts";
import { migrations } from "../../src/store/migrations.ts";

let dir: string;
let store: Store | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "trawl-store-"));
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const newRun = { scraper: "shop", source: null, definitionHash: "h", targets: ["a", "b"], breakpoints: [] };
const steps = [
  { name: "crawl", kind: "crawl" },
  { name: "export", kind: "export" },
];

describe("opening the database", () => {
  it("creates the schema, uses WAL and passes the integrity check", async () => {
    store = openSqliteStore(join(dir, "t.db"));
    expect(await store.integrityCheck()).toEqual(["ok"]);
    const db = new Database(join(dir, "t.db"), { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(migrations.at(-1)!.version);
    db.close();
  });

  it("refuses a corrupt file and leaves it as it was", () => {
    const path = join(dir, "t.db");
    writeFileSync(path, "this is not a database at all".repeat(200));
    expect(() => openSqliteStore(path)).toThrow(CorruptDatabaseError);
    expect(readdirSync(dir)).toEqual(["t.db"]);
  });

  it("backs the database up before a new migration", async () => {
    const path = join(dir, "t.db");
    openSqliteStore(path).close();
    const next = [...migrations, { version: 99, name: "test", sql: "CREATE TABLE extra (x INTEGER)" }];
    store = openSqliteStore(path, { migrations: next });
    const backups = readdirSync(join(dir, "backups"));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(new RegExp(`^trawl-v${migrations.at(-1)!.version}-.*\\.db$`));
  });

  it("upgrades a database of an older version and keeps its runs", async () => {
    const path = join(dir, "t.db");
    const old = openSqliteStore(path, { migrations: migrations.slice(0, 1) });
    await old.close();
    // Written as version 1 wrote runs (today's code writes columns version 1 lacks).
    const id = "RUN-19700101-000000";
    const raw = new Database(path);
    raw
      .prepare(
        `INSERT INTO runs (id, scraper, definition_hash, status, created_at, updated_at, breakpoints, targets, steps)
         VALUES (?, 'shop', 'h', 'queued', 1000, 1000, '[]', '[]', '[]')`,
      )
      .run(id);
    raw.close();
    store = openSqliteStore(path);
    expect((await store.runs.get(id))?.id).toBe(id);
    expect(await store.schedules.list()).toEqual([]);
    expect(readdirSync(join(dir, "backups"))).toEqual([expect.stringMatching(/^trawl-v1-.*\.db$/)]);
  });
});

describe("request queue", () => {
  it("keeps everything when the database is reopened", async () => {
    const path = join(dir, "t.db");
    store = openSqliteStore(path);
    const { id } = await store.runs.create({ ...newRun, steps }, 1000);
    await store.queue.enqueue(id, [{ url: "http://x/1", pageType: "list", target: "b", depth: 0 }], 1);
    await store.logs.append(id, "warn", "hello", 5);
    await store.close();
    store = openSqliteStore(path);
    expect(await store.queue.counts(id)).toEqual([
      { target: "b", pending: 1, leased: 0, done: 0, failed: 0, records: 0 },
    ]);
    expect((await store.logs.list(id, { level: "warn" })).map((l) => l.message)).toEqual(["hello"]);
    expect(await store.logs.list(id, { level: "error" })).toEqual([]);
  });
});

// The record store's store-level tests are in records-contract.test.ts (both backends).
