/**
 * copySqliteToPg (issue 17, item 8) at the store level: what the PostgreSQL store reads after a
 * copy is what it reads after writing the same data itself (NULs: U+0001 in record sources, given
 * back as NUL; U+FFFD in a log line and a run's error), floats and large integers exactly; a row
 * PostgreSQL refuses rolls the whole copy back, and a later copy then succeeds.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  copySqliteToPg,
  openPgStore,
  openSqliteStore,
  type CopyProgress,
  type Store,
} from "../../src/store/index.ts";
import { freshDatabase, type TestDatabase } from "../fixtures/postgres.ts";

const dir = mkdtempSync(join(tmpdir(), "trawl-copy-"));
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const database of databases) await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const newRun = {
  scraper: "shop",
  source: null,
  definitionHash: "h",
  targets: ["a"],
  breakpoints: [],
  steps: [],
};

/** The same data written into `store`; returns the run's id. */
async function fill(store: Store): Promise<string> {
  const { id } = await store.runs.create(newRun, 1000);
  await store.runs.update(id, { error: "parse failed near \u0000 here" });
  await store.logs.append(id, "warn", "a page quoted \u0000 in its body", 2000);
  await store.records.append(id, 1, [{ n: 1, text: "nul \u0000 inside" }, { n: 2 }], 0, [
    "https://shop.test/a\u0000digest",
    null,
  ]);
  await store.health.add({
    role: "server",
    at: 3000,
    process: "h:1:x",
    rss: 2 ** 53 - 1,
    heapUsed: 1,
    cpuPercent: 1 / 3,
    load: [0.1 + 0.2, 1e-7, 12345.678],
    memoryTotal: 8e9,
    memoryFree: 4e9,
    diskTotal: null,
    diskFree: null,
    activeRuns: 1,
    queuedRuns: 0,
    requestsPerSecond: 2.5,
    lagP99Ms: null,
    lagMaxMs: 0.001,
  });
  return id;
}

/** What a store answers about the run. */
async function readBack(store: Store, id: string) {
  const records = [];
  for await (const page of store.records.readSourcedPages(id, 1)) records.push(...page);
  return {
    run: await store.runs.get(id),
    logs: (await store.logs.list(id)).map(({ level, message, at }) => ({ level, message, at })),
    records,
    health: await store.health.list({ from: 0, until: 10_000 }),
  };
}

describe("copySqliteToPg", () => {
  it("gives the PostgreSQL store what it would hold had it written the data itself", async () => {
    const path = join(dir, "trawl.db");
    const sqlite = openSqliteStore(path);
    const id = await fill(sqlite);
    // The fleet's reports are not copied: they describe processes, not data.
    const worker = {
      id: "h:1:x",
      host: "h",
      pid: 1,
      kind: "run",
      startedAt: 1,
      heartbeatAt: 2,
      runs: [id],
      leases: 0,
      pagesPerSecond: 0,
      concurrency: 1,
    };
    await sqlite.workers.report(worker);
    await sqlite.close();

    // A row PostgreSQL refuses (a fraction in an integer column): the whole copy rolls back.
    const raw = new Database(path);
    raw.prepare(`INSERT INTO counters (name, value) VALUES ('odd', 1.5)`).run();
    const target = await freshDatabase("copy_store");
    databases.push(target);
    // A worker already reporting to the target does not make it look filled.
    const reporting = await openPgStore(target.url);
    await reporting.workers.report({ ...worker, id: "pg:2:y" });
    await reporting.close();
    await expect(copySqliteToPg(path, target.url)).rejects.toMatchObject({
      code: "TRAWL_ERR_STORE_COPY_FAILED",
      message: expect.stringMatching(/refused a row of counters/),
    });
    raw.prepare(`DELETE FROM counters WHERE name = 'odd'`).run();
    raw.close();

    const progress: CopyProgress[] = [];
    const report = await copySqliteToPg(path, target.url, {
      batchRows: 1,
      onProgress: (p) => progress.push(p),
    });
    // One report per row here (a batch of one), each table's last at its total.
    const logged = progress.filter((p) => p.table === "records");
    expect(logged.map((p) => p.rowsDone)).toEqual([1, 2]);
    expect(logged.every((p) => p.rowsTotal === 2 && p.tables === report.tables.length)).toBe(true);
    expect(report.tables.every((t) => t.equal)).toBe(true);
    expect(report.tables.map((t) => t.table)).not.toContain("workers");
    const mapped = Object.fromEntries(report.tables.map((t) => [t.table, t.valuesMapped]));
    expect(mapped).toMatchObject({ runs: 1, logs: 1, records: 1, health_samples: 0 });

    const copied = await openPgStore(target.url);
    const written = await freshDatabase("copy_written");
    databases.push(written);
    const direct = await openPgStore(written.url);
    try {
      const fromCopy = await readBack(copied, id);
      const writtenId = await fill(direct);
      const fromDirect = await readBack(direct, writtenId);
      expect(fromCopy.logs).toEqual([
        { level: "warn", message: "a page quoted \ufffd in its body", at: 2000 },
      ]);
      expect(fromCopy.run?.error).toBe("parse failed near \ufffd here");
      expect(fromCopy.records.map((r) => r.source)).toEqual(["https://shop.test/a\u0000digest", null]);
      expect({ ...fromCopy, run: { ...fromCopy.run, id: "" } }).toEqual({
        ...fromDirect,
        run: {
          ...fromDirect.run,
          id: "",
          createdAt: fromCopy.run!.createdAt,
          updatedAt: fromCopy.run!.updatedAt,
        },
      });
      expect(fromCopy.health[0]).toMatchObject({
        rss: 2 ** 53 - 1,
        cpuPercent: 1 / 3,
        load: [0.1 + 0.2, 1e-7, 12345.678],
      });
    } finally {
      await copied.close();
      await direct.close();
    }
  });
});
