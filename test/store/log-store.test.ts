/**
 * Run logs: appends of one event-loop turn are written together (a second connection sees none of
 * them before the turn ends, all after), reads see every line appended before them, counts per
 * level, and closing the store writes what is pending.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore, type Store } from "../../src/store/index.ts";

let dir: string;
let path: string;
let store: Store | undefined;
let runId: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-logs-"));
  path = join(dir, "t.db");
  store = openSqliteStore(path);
  const run = { scraper: "shop", source: null, definitionHash: "h", targets: ["a"], breakpoints: [] };
  runId = (await store.runs.create({ ...run, steps: [{ name: "crawl", kind: "crawl" }] }, 1000)).id;
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Lines of the run as another connection (another process) sees them now. */
function storedElsewhere(): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM logs WHERE run_id = ?`).get(runId) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("the log store", () => {
  it("writes the lines of one turn in one batch, after the turn", async () => {
    const appended = Array.from({ length: 500 }, (_, i) =>
      store!.logs.append(runId, i % 50 === 0 ? "warn" : "info", `line ${i}`, 2000 + i),
    );
    expect(storedElsewhere()).toBe(0);
    await Promise.all(appended);
    expect(storedElsewhere()).toBe(500);
    const lines = await store!.logs.list(runId);
    expect(lines.map((l) => l.message)).toEqual(Array.from({ length: 500 }, (_, i) => `line ${i}`));
  });

  it("reads see the lines appended before them, counts them per level and filters by exact levels", async () => {
    void store!.logs.append(runId, "info", "a", 1);
    void store!.logs.append(runId, "error", "b", 2);
    void store!.logs.append(runId, "warn", "c", 3);
    void store!.logs.append(runId, "info", "d", 4);
    expect(await store!.logs.tally(runId)).toEqual({
      counts: { debug: 0, info: 2, warn: 1, error: 1 },
      newestAt: 4,
    });
    const errorsAndInfos = await store!.logs.list(runId, { levels: ["error", "info"] });
    expect(errorsAndInfos.map((l) => l.message)).toEqual(["a", "b", "d"]);
    expect((await store!.logs.list(runId, { level: "warn" })).map((l) => l.message)).toEqual(["b", "c"]);
    expect(await store!.logs.tally("RUN-20260101-NOSUCH")).toEqual({
      counts: { debug: 0, info: 0, warn: 0, error: 0 },
      newestAt: null,
    });
  });

  it("writes pending lines when the store closes", async () => {
    void store!.logs.append(runId, "warn", "last words", 5);
    await store!.close();
    store = openSqliteStore(path);
    expect((await store.logs.list(runId)).map((l) => l.message)).toEqual(["last words"]);
  });
});
