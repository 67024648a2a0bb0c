/**
 * `trawl run`, `runs`, `show`, `logs` and `export` against PostgreSQL (issue 17, items 1 and 3):
 * `--database URL` (or `TRAWL_DATABASE_URL`) puts the runs in that database instead of the data
 * directory's SQLite file, and the same crawl gives the same records either way.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";
import { freshDatabase, type TestDatabase } from "../fixtures/postgres.ts";
import { makeWorkDir, parseJson, runCli, writeText } from "./run-cli.ts";

let site: FaultSite;
let database: TestDatabase;

beforeAll(async () => {
  site = await startFaultSite({
    routes: {
      "/list": (_req, res) =>
        void res
          .writeHead(200, { "content-type": "text/html" })
          .end(Array.from({ length: 12 }, (_, i) => `<a class="item" href="/item?i=${i}">${i}</a>`).join("")),
      "/item": (req, res) =>
        void res
          .writeHead(200, { "content-type": "text/html" })
          .end(
            `<h1>Item ${new URL(req.url!, "http://x").searchParams.get("i")}</h1><p class="price">${req.url!.length}</p>`,
          ),
    },
  });
  database = await freshDatabase("cli");
});

afterAll(async () => {
  await site?.close();
  await database?.drop();
});

interface Summary {
  id: string;
  status: string;
  records: number;
}

describe("trawl against PostgreSQL", () => {
  it("runs a scraper into the database, lists, shows and exports it, with SQLite's records", async () => {
    const { dir, home } = await makeWorkDir();
    const file = await writeText(
      dir,
      "shared.yaml",
      `name: shared
start: ${site.url}/list
politeness: { robots: ignore, rate_per_host: 100 }
pages:
  list:
    follow: [{ css: a.item, page: item }]
  item:
    record: { title: h1, price: { css: .price, type: number } }
steps:
  - dedupe: { key: title }
`,
    );
    const onPostgres = await runCli(["run", file, "--json", "--database", database.url], { home });
    expect(onPostgres.code, onPostgres.stderr).toBe(0);
    const run = parseJson<Summary>(onPostgres);
    expect(run).toMatchObject({ status: "succeeded", records: 12 });

    // The same data directory without --database: its SQLite file never saw the run.
    const local = parseJson<{ runs: Summary[] }>(await runCli(["runs", "--json"], { home }));
    expect(local.runs).toEqual([]);
    const env = { TRAWL_DATABASE_URL: database.url };
    const listed = parseJson<{ runs: Summary[] }>(await runCli(["runs", "--json"], { home, env }));
    expect(listed.runs.map((r) => r.id)).toEqual([run.id]);
    const shown = parseJson<Summary>(await runCli(["show", run.id, "--json"], { home, env }));
    expect(shown).toMatchObject({ id: run.id, status: "succeeded", records: 12 });
    /** A run's log lines without their times. */
    const logLines = async (id: string, options: { home: string; env?: Record<string, string> }) =>
      (await runCli(["logs", id], options)).stdout.replace(/^\S+ /gm, "");
    const postgresLog = await logLines(run.id, { home, env });
    expect(postgresLog).toContain("succeeded");

    const exported = await runCli(["export", run.id, "--format", "jsonl"], { home, env });
    expect(exported.code, exported.stderr).toBe(0);
    const fromPostgres = exported.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as object);

    const onSqlite = parseJson<Summary>(await runCli(["run", file, "--json"], { home }));
    const sqliteExport = await runCli(["export", onSqlite.id, "--format", "jsonl"], { home });
    const fromSqlite = sqliteExport.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as object);
    expect(fromPostgres).toHaveLength(12);
    expect(fromPostgres).toEqual(fromSqlite);
    expect(postgresLog).toBe(await logLines(onSqlite.id, { home }));
  }, 90_000);

  it("refuses a malformed database URL without echoing it (exit 2)", async () => {
    const { home } = await makeWorkDir();
    const bad = await runCli(["runs", "--json", "--database", "mysql://root:hunter2@db/x"], { home });
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).toContain("--database must be a PostgreSQL URL");
    expect(bad.stdout + bad.stderr).not.toContain("hunter2");
  });
});
