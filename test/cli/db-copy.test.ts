/**
 * `trawl db copy --to postgres://…` (issue 17, item 8): a SQLite installation made through the
 * real CLI (a secret, a crawl that needs it, a schedule, the audit log they wrote) is copied into
 * an empty PostgreSQL database; through `--database` every command then answers as on SQLite
 * (runs, show, logs, records, schedules, secrets, the audit chain), a new run reads the copied
 * secret and continues the copied ids, and a second copy into the now full database is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";
import { freshDatabase, type TestDatabase } from "../fixtures/postgres.ts";
import { makeWorkDir, parseJson, runCli, writeText, type CliOptions } from "./run-cli.ts";

const TOKEN = "s3cret-token";
let site: FaultSite;
let database: TestDatabase;

beforeAll(async () => {
  site = await startFaultSite({
    routes: {
      // Only a request carrying the secret gets the list.
      "/list": (req, res) =>
        req.headers.authorization === `Bearer ${TOKEN}`
          ? void res
              .writeHead(200, { "content-type": "text/html" })
              .end(
                Array.from({ length: 8 }, (_, i) => `<a class="item" href="/item?i=${i}">${i}</a>`).join(""),
              )
          : void res.writeHead(403).end("no"),
      "/item": (req, res) =>
        void res
          .writeHead(200, { "content-type": "text/html" })
          .end(
            `<h1>Item ${new URL(req.url!, "http://x").searchParams.get("i")}</h1><p class="price">${req.url!.length}</p>`,
          ),
    },
  });
  database = await freshDatabase("copy");
});

afterAll(async () => {
  await site?.close();
  await database?.drop();
});

interface CopyJson {
  tables: { table: string; sqliteRows: number; postgresRows: number; valuesMapped: number; equal: boolean }[];
  identities: { table: string; column: string; next: number }[];
  audit: { intact: boolean; entries: number; head: { seq: number; hash: string } };
}

/** What the installation answers, command by command (stdout of each). */
async function answers(options: CliOptions, runId: string): Promise<Record<string, unknown>> {
  const json = async (args: string[]) => {
    const result = await runCli([...args, "--json"], options);
    expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
    return parseJson(result);
  };
  // Two at a time: each is a process of its own.
  const [runs, show, logs, exported] = await Promise.all([
    json(["runs"]),
    json(["show", runId]),
    runCli(["logs", runId], options),
    runCli(["export", runId, "--format", "jsonl"], options),
  ]);
  const [schedules, secrets, audit, verify] = await Promise.all([
    json(["schedule", "list"]),
    json(["secrets", "list"]),
    json(["audit", "--limit", "1000"]),
    json(["audit", "verify"]),
  ]);
  return { runs, show, logs: logs.stdout, export: exported.stdout, schedules, secrets, audit, verify };
}

describe("trawl db copy", () => {
  it("copies a SQLite installation into PostgreSQL, where every command answers as before", async () => {
    const { dir, home } = await makeWorkDir();
    const onSqlite = await runCli(["secrets", "set", "SHOP_TOKEN"], { home, input: TOKEN });
    expect(onSqlite.code, onSqlite.stderr).toBe(0);
    const file = await writeText(
      dir,
      "shop.yaml",
      `name: shop
start: ${site.url}/list
headers: { Authorization: "Bearer {{ secret.SHOP_TOKEN }}" }
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
    const run = parseJson<{ id: string; records: number }>(await runCli(["run", file, "--json"], { home }));
    expect(run.records).toBe(8);
    const added = await runCli(["schedule", "add", file, "--every", "6h", "--json"], { home });
    expect(added.code, added.stderr).toBe(0);
    const before = await answers({ home }, run.id);
    expect(before.verify).toMatchObject({ intact: true });

    const copied = await runCli(["db", "copy", "--to", database.url, "--json"], { home, timeoutMs: 60_000 });
    expect(copied.code, copied.stderr).toBe(0);
    const report = parseJson<CopyJson>(copied);
    const tables = new Map(report.tables.map((t) => [t.table, t]));
    for (const table of [
      "runs",
      "records",
      "steps",
      "logs",
      "requests",
      "schedules",
      "secrets",
      "vault_keys",
      "audit_log",
    ])
      expect(tables.get(table)?.sqliteRows, table).toBeGreaterThan(0);
    expect(report.tables.every((t) => t.equal && t.sqliteRows === t.postgresRows)).toBe(true);
    // The crawl stage's order keys hold a NUL on SQLite, U+0001 on PostgreSQL.
    expect(tables.get("records")!.valuesMapped).toBeGreaterThanOrEqual(8);
    expect(report.audit).toMatchObject({ intact: true, entries: (before.audit as { total: number }).total });
    const logIds = report.identities.find((i) => i.table === "logs")!;
    expect(logIds.next).toBeGreaterThan(tables.get("logs")!.sqliteRows);

    // Without --json: the per-table table and the audit chain's verdict.
    const other = await freshDatabase("copy_text");
    try {
      const text = await runCli(["db", "copy", "--to", other.url], { home });
      expect(text.code, text.stderr + text.stdout).toBe(0);
      expect(text.stdout).toMatch(
        /^table\s+sqlite rows\s+postgres rows\s+sha256 \(both sides\)\s+NULs mapped\s+verified$/m,
      );
      expect(text.stdout).toMatch(/^records\s+(\d+)\s+\1\s+[0-9a-f]{16}…\s+[1-9]\d*\s+yes$/m);
      expect(text.stdout).toMatch(/^audit chain on PostgreSQL: intact, \d+ entries/m);
      expect(text.stdout).not.toContain(other.url);
    } finally {
      await other.drop();
    }

    const env = { TRAWL_DATABASE_URL: database.url };
    expect(await answers({ home, env }, run.id)).toEqual(before);

    // A new run on PostgreSQL reads the copied secret and continues the copied ids.
    const again = await runCli(["run", file, "--json"], { home, env });
    expect(again.code, again.stderr).toBe(0);
    expect(parseJson(again)).toMatchObject({ status: "succeeded", records: 8 });
    const verified = parseJson(await runCli(["audit", "verify", "--json"], { home, env }));
    expect(verified).toMatchObject({ intact: true });

    // A second copy into the same database is refused, and writes nothing.
    const second = await runCli(["db", "copy", "--to", database.url], { home });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/is not empty \(.*runs.*\)/);
    const runs = parseJson<{ runs: unknown[] }>(await runCli(["runs", "--json"], { home, env }));
    expect(runs.runs).toHaveLength(2);
  }, 120_000);

  it("refuses a --to that is not a PostgreSQL URL, without echoing it", async () => {
    const { home } = await makeWorkDir();
    const bad = await runCli(["db", "copy", "--to", "mysql://root:hunter2@db/x"], { home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--to: must be a PostgreSQL URL");
    expect(bad.stderr).not.toContain("hunter2");
  });
});
