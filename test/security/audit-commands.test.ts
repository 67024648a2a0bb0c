/**
 * The audit log end to end: what the API and the CLI do lands in it (with who did it), `GET
 * /api/audit` pages and filters it, `POST /api/audit/verify` and `trawl audit verify` check it, and
 * a log tampered with from outside (raw SQL on the database file) fails `trawl audit verify` with
 * exit 1, naming the entry.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { homePaths } from "../../src/core/index.ts";
import { serve, until } from "../server/helpers.ts";
import { makeWorkDir, parseJson, runCli, writeText } from "../cli/run-cli.ts";

/** Raw SQL on a database file, as someone holding it would (the append-only triggers dropped). */
function tamper(database: string, sql: string): void {
  const db = new Database(database);
  db.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; ${sql}`);
  db.close();
}

describe("audit log through the API", () => {
  it("records run commands and schedule changes as the api's, pages, filters and verifies", async () => {
    const f = await serve({ hold: true, scheduler: false });
    const startedRun = await f.api("POST", "/api/runs", { file: f.scraperFile });
    expect(startedRun.status, JSON.stringify(startedRun.json)).toBe(202);
    const run = startedRun.json.id as string;
    await until(async () => (await f.api("GET", `/api/runs/${run}`)).json.status === "running", "running");
    expect((await f.api("POST", `/api/runs/${run}/cancel`)).status).toBe(200);
    f.release();
    const created = await f.api("POST", "/api/schedules", { file: f.scraperFile, every: "1h" });
    const schedule = created.json.id as string;
    expect((await f.api("PATCH", `/api/schedules/${schedule}`, { every: "2h" })).status).toBe(200);
    expect((await f.api("DELETE", `/api/schedules/${schedule}`)).status).toBe(204);
    // Refused commands leave no entry.
    expect((await f.api("POST", `/api/runs/${run}/stop`)).status).toBe(409);

    const all = await f.api("GET", "/api/audit");
    expect(all.status).toBe(200);
    expect(
      all.json.entries.map((e: { action: string; subject: string; actor: string }) => [
        e.action,
        e.subject,
        e.actor,
      ]),
    ).toEqual([
      ["run.started", run, "api"],
      ["run.cancelled", run, "api"],
      ["schedule.created", schedule, "api"],
      ["schedule.changed", schedule, "api"],
      ["schedule.deleted", schedule, "api"],
    ]);
    expect(all.json.entries[0]).toMatchObject({
      seq: 1,
      details: { scraper: "tiny" },
      actorName: null,
      prevHash: "0".repeat(64),
    });
    expect(all.json.entries[3].details).toEqual({ fields: ["cursor", "timing"] });
    expect(all.json).toMatchObject({ total: 5, next: null });

    const newest = await f.api("GET", "/api/audit?limit=2");
    expect(newest.json.entries.map((e: { seq: number }) => e.seq)).toEqual([4, 5]);
    expect(newest.json.next).toBe(4);
    const older = await f.api("GET", "/api/audit?limit=2&before=4");
    expect(older.json.entries.map((e: { seq: number }) => e.seq)).toEqual([2, 3]);
    const cancelled = await f.api("GET", "/api/audit?action=run.cancelled");
    expect(cancelled.json).toMatchObject({ total: 1, entries: [{ seq: 2 }] });
    expect((await f.api("GET", "/api/audit?since=2100-01-01")).json).toMatchObject({ total: 0, entries: [] });
    for (const bad of ["action=run.exploded", "since=last-tuesday"]) {
      const refused = await f.api("GET", `/api/audit?${bad}`);
      expect(refused.json).toMatchObject({ statusCode: 400, code: "TRAWL_ERR_SECURITY_AUDIT_FILTER" });
    }

    const verified = await f.api("POST", "/api/audit/verify");
    expect(verified.json).toMatchObject({
      intact: true,
      entries: 5,
      headLag: 0,
      problem: null,
      head: { seq: 5 },
    });
    tamper(homePaths(join(f.dir, "home")).database, "UPDATE audit_log SET actor = 'cli' WHERE seq = 3");
    expect((await f.api("POST", "/api/audit/verify")).json).toMatchObject({
      intact: false,
      entries: 2,
      problem: { kind: "edited", seq: 3 },
    });
  });
});

describe("trawl audit", () => {
  it("lists what the CLI did, filters it, and verify exits 1 naming the first broken entry", async () => {
    const { dir, home } = await makeWorkDir();
    mkdirSync(home, { recursive: true });
    const file = await writeText(
      dir,
      "nowhere.yaml",
      "name: nowhere\nstart: http://127.0.0.1:9/\npages:\n  page:\n    record: { title: h1 }\n",
    );
    const added = await runCli(["schedule", "add", file, "--every", "1h", "--json"], { home });
    expect(added.code, added.stderr).toBe(0);
    const id = parseJson<{ id: string }>(added).id;
    expect((await runCli(["schedule", "pause", id], { home })).code).toBe(0);
    expect((await runCli(["schedule", "rm", id], { home })).code).toBe(0);
    // A run that fails (nothing listens on port 9) was still started.
    await runCli(["run", file, "--json"], { home });

    const table = await runCli(["audit"], { home });
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^seq\s+time\s+actor\s+action\s+subject\s+details$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(3, 6))).toEqual([
      ["cli", "schedule.created", id],
      ["cli", "schedule.changed", id],
      ["cli", "schedule.deleted", id],
      ["cli", "run.started", expect.stringMatching(/^RUN-/)],
    ]);
    expect(lines[2]).toContain('{"fields":["pausedReason","status"],"status":"paused"}');

    const json = parseJson<{ entries: { seq: number; action: string }[]; total: number }>(
      await runCli(["audit", "--action", "schedule.deleted", "--since", "1h", "--json"], { home }),
    );
    expect(json).toMatchObject({ total: 1, entries: [{ seq: 3, action: "schedule.deleted" }] });
    const unknown = await runCli(["audit", "--action", "schedule.exploded"], { home });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no action is named "schedule.exploded"');
    expect((await runCli(["audit", "--since", "2100-01-01"], { home })).stdout).toBe("no audit entries\n");

    const intact = await runCli(["audit", "verify"], { home });
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^intact, 4 entries, head 4 [0-9a-f]{16}…\n$/);

    const database = homePaths(home).database;
    tamper(database, "DELETE FROM audit_log WHERE seq = 4");
    const cut = await runCli(["audit", "verify"], { home });
    expect(cut.code).toBe(1);
    expect(cut.stdout).toBe(
      "broken: the log ends at entry 3 but the head file records entry 4: entry 4 was cut off (3 entries sound before it)\n",
    );
    // A restored backup: reset-head accepts the database's chain, and says so in the log.
    const reset = await runCli(["audit", "reset-head"], { home });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(/^reset: the log ends at entry 3 .*; now intact, 4 entries, head 4 /);
    expect((await runCli(["audit", "--action", "audit.head-reset"], { home })).stdout).toContain(
      '"problem":"truncated"',
    );
    tamper(database, "DELETE FROM audit_log WHERE seq = 2");
    const verify = parseJson<{ intact: boolean; problem: { kind: string; seq: number } }>(
      await runCli(["audit", "verify", "--json"], { home }),
    );
    expect(verify).toMatchObject({ intact: false, problem: { kind: "deleted", seq: 2 } });
    // A broken chain is never re-hashed away.
    const refused = await runCli(["audit", "reset-head"], { home });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("entry 2 is missing");
  });
});
