/** The diagnostics store's contract (issue 17), on SQLite and on PostgreSQL. */
import pg from "pg";
import { expect, it } from "vitest";
import { describeStores, locationOf } from "./backends.ts";

describeStores("diagnostics store", (open, backend) => {
  it("describes the schema: tables first, then indexes, each in name order, with their SQL", async () => {
    const store = await open();
    const schema = await store.diagnostics.schema();
    const types = schema.map((o) => o.type);
    expect(types.indexOf("index")).toBeGreaterThan(types.lastIndexOf("table"));
    expect(types.lastIndexOf("index")).toBeLessThan(types.indexOf("trigger"));
    for (const type of ["table", "index", "trigger"]) {
      const names = schema.filter((o) => o.type === type).map((o) => o.name);
      expect(names).toEqual([...names].sort());
    }
    const runs = schema.find((o) => o.type === "table" && o.name === "runs")!;
    expect(runs).toMatchObject({ table: "runs", sql: expect.stringMatching(/^CREATE TABLE "?runs"? \(/) });
    expect(runs.sql).toContain("scraper");
    // Indexes made for a key have no SQL of their own; the others have theirs.
    expect(schema.find((o) => o.type === "index" && o.table === "schedules")).toMatchObject({ sql: null });
    expect(schema.find((o) => o.type === "index" && o.name === "captures_by_run")).toMatchObject({
      table: "captures",
      sql: expect.stringMatching(/^CREATE INDEX captures_by_run ON /),
    });
    // The audit log's append-only triggers.
    expect(schema.filter((o) => o.type === "trigger" && o.table === "audit_log").length).toBeGreaterThan(0);
  });

  it("tells the migrations applied and pending, and the database's figures", async () => {
    const store = await open();
    const state = await store.diagnostics.migrations();
    expect(state.version).toBe(state.latest);
    expect(state.pending).toEqual([]);
    expect(state.applied.at(-1)?.version).toBe(state.latest);
    expect(state.applied[0]).toEqual({ version: 1, name: expect.any(String) });
    const figures = await store.diagnostics.figures();
    expect(figures).toEqual({
      sqliteVersion: expect.any(String),
      journalMode: expect.stringMatching(/^wal/),
      pageSize: expect.any(Number),
      pageCount: expect.any(Number),
      freePages: expect.any(Number),
    });
    expect(figures.pageSize).toBeGreaterThan(0);
    expect(figures.pageCount).toBeGreaterThan(0);
  });

  it("checks the database, quick or full, and finds it sound", async () => {
    const store = await open();
    await store.secrets.put("a", Buffer.from("n"), Buffer.from("c"), 1);
    expect(await store.diagnostics.check("quick")).toEqual(["ok"]);
    expect(await store.diagnostics.check("full")).toEqual(["ok"]);
  });

  if (backend === "postgres")
    it("checks every b-tree index with amcheck when the database has it", async () => {
      const store = await open();
      const admin = new pg.Client({ connectionString: locationOf(store).location });
      await admin.connect();
      try {
        await admin.query("CREATE EXTENSION amcheck");
        await admin.query("CREATE TABLE broken_check (id integer PRIMARY KEY)");
        await admin.query("INSERT INTO broken_check VALUES (1), (2)");
      } finally {
        await admin.end();
      }
      expect(await store.diagnostics.check("full")).toEqual(["ok"]);
      // The extension's functions are not trawl's schema.
      expect(
        (await store.diagnostics.schema()).filter((o) => o.type === "function").map((o) => o.name),
      ).toEqual(["audit_log_append_only"]);
    });
});
