/**
 * Two `trawl scheduler` processes on one PostgreSQL database (issue 17, item 5's done-when): the
 * leader lease lets one of them fire, each occurrence is fired once (one row per due time, one run
 * per fired occurrence), and when the leader is killed (SIGKILL: no resignation, its lease must
 * expire) the other takes over within 15 s. Real processes, a schedule firing every second
 * against a local site, made with `trawl schedule add --database`.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWorkDir, parseJson, runCli, startCli, writeText, type CliProcess } from "../cli/run-cli.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";
import { freshDatabase, type TestDatabase } from "../fixtures/postgres.ts";

let site: FaultSite;
let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  site = await startFaultSite();
  database = await freshDatabase("schedulers");
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await site?.close();
  await database?.drop();
});

interface Occurrence {
  due_at: number;
  attempt: number;
  status: string;
  run_id: string | null;
  claimed_by: string;
  started_at: number | null;
}

async function history(): Promise<Occurrence[]> {
  const { rows } = await pool.query<Occurrence>(
    `SELECT due_at::float8 AS due_at, attempt, status, run_id, claimed_by, started_at::float8 AS started_at
       FROM schedule_occurrences ORDER BY due_at, attempt`,
  );
  return rows;
}

/** The schedulers of the test, whose output a timeout shows. */
let daemons: CliProcess[] = [];

async function until(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      const output = daemons.map((d) => `scheduler ${d.child.pid}:\n${d.stderr().slice(-2000)}`).join("\n");
      throw new Error(`timed out waiting for ${what}; ${JSON.stringify(await history())}\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("two schedulers on PostgreSQL", () => {
  it("fire each occurrence once, and the survivor takes over within 15 s of a kill -9", async () => {
    const { dir, home } = await makeWorkDir();
    const env = { TRAWL_DATABASE_URL: database.url };
    const scraper = await writeText(
      dir,
      "tiny.yaml",
      `name: tiny\ntargets: [{ name: one, start: "${site.url}/ok" }]\npages:\n  page:\n    record: { text: p }\npoliteness: { robots: ignore }\n`,
    );
    const added = await runCli(["schedule", "add", scraper, "--cron", "* * * * * *", "--json"], {
      home,
      env,
    });
    expect(added.code, added.stderr).toBe(0);

    daemons = [0, 1].map(() =>
      startCli(["scheduler", "--max-concurrent", "5", "--database", database.url], {
        home,
        timeoutMs: 60_000,
      }),
    );
    const fired = async () => (await history()).filter((o) => o.status === "succeeded").length >= 3;
    await until(fired, "three runs", 20_000);

    const status = parseJson<{ schedulers: { pid: number; leader: boolean }[] }>(
      await runCli(["scheduler", "status", "--json"], { home, env }),
    );
    expect(status.schedulers).toHaveLength(2);
    expect(status.schedulers.filter((s) => s.leader)).toHaveLength(1);
    const leaderPid = status.schedulers.find((s) => s.leader)!.pid;
    const leader = daemons.find((d) => d.child.pid === leaderPid)!;
    const survivor = daemons.find((d) => d !== leader)!;
    const leaderOwner = (await history()).at(-1)!.claimed_by;
    leader.child.kill("SIGKILL");
    await leader.result;
    const killedAt = Date.now();

    // The survivor's first occurrence: claimed by it, started (a run) after the kill.
    let takenOverAt = 0;
    await until(
      async () => {
        const mine = (await history()).find((o) => o.claimed_by !== leaderOwner && o.run_id !== null);
        takenOverAt = mine?.started_at ?? 0;
        return mine !== undefined;
      },
      "an occurrence fired by the survivor",
      20_000,
    );
    expect(takenOverAt - killedAt).toBeLessThan(15_000);
    // And it keeps firing: three more of its own.
    await until(
      async () =>
        (await history()).filter((o) => o.claimed_by !== leaderOwner && o.run_id !== null).length >= 3,
      "the survivor firing again",
      10_000,
    );
    survivor.child.kill("SIGTERM");
    const ended = await survivor.result;
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stderr).toMatch(/leading: this scheduler fires schedules/);

    const rows = await history();
    const runIds = rows.flatMap((o) => (o.run_id === null ? [] : [o.run_id]));
    // One row per due time (no second attempt, no twin claim), one run per fired occurrence.
    expect(new Set(rows.map((o) => o.due_at)).size).toBe(rows.length);
    expect(rows.every((o) => o.attempt === 0 && o.due_at % 1000 === 0)).toBe(true);
    expect(new Set(runIds).size).toBe(runIds.length);
    expect(new Set(rows.map((o) => o.claimed_by)).size).toBe(2);
    const runs = parseJson<{ runs: { id: string }[] }>(
      await runCli(["runs", "--json", "--limit", "1000"], { home, env }),
    );
    expect(runs.runs.map((r) => r.id).sort()).toEqual([...runIds].sort());
  }, 60_000);
});
