import Database from "better-sqlite3";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startFaultSite } from "../fixtures/fault-site.ts";
import { makeWorkDir, parseJson, runCli, startCli, type CliProcess } from "./run-cli.ts";

const sites: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const site of sites) await site.close();
});

interface Row {
  due_at: number;
  status: string;
  run_id: string | null;
  claimed_by: string;
}

function history(home: string): Row[] {
  const db = new Database(join(home, "trawl.db"), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(`SELECT due_at, status, run_id, claimed_by FROM schedule_occurrences ORDER BY due_at`)
      .all() as Row[];
  } finally {
    db.close();
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("two scheduler processes on one database", () => {
  it("fire each occurrence exactly once, and the survivor takes over when the leader is killed", async () => {
    const site = await startFaultSite();
    sites.push(site);
    const { dir, home } = await makeWorkDir();
    const scraper = join(dir, "tiny.yaml");
    await writeFile(
      scraper,
      `name: tiny\ntargets: [{ name: one, start: "${site.url}/ok" }]\npages:\n  page:\n    record: { text: p }\npoliteness: { robots: ignore }\n`,
    );
    const added = parseJson(
      await runCli(["schedule", "add", scraper, "--cron", "*/2 * * * * *", "--json"], { home }),
    );
    expect(added).toMatchObject({ id: expect.stringMatching(/^SCH-/), when: "*/2 * * * * *" });

    const daemons: CliProcess[] = [0, 1].map(() => startCli(["scheduler"], { home, timeoutMs: 120_000 }));
    await until(() => history(home).filter((r) => r.status === "succeeded").length >= 4, "four runs");

    const status = parseJson<{ schedulers: { pid: number; leader: boolean }[] }>(
      await runCli(["scheduler", "status", "--json"], { home }),
    );
    expect(status.schedulers).toHaveLength(2);
    const leaderPid = status.schedulers.find((s) => s.leader)!.pid;
    const leader = daemons.find((d) => d.child.pid === leaderPid)!;
    const survivor = daemons.find((d) => d !== leader)!;
    const claimedByLeader = history(home)[0]!.claimed_by;
    leader.child.kill("SIGKILL");
    await leader.result;
    const killedAt = Date.now();

    await until(
      () => history(home).some((r) => r.claimed_by !== claimedByLeader && r.status === "succeeded"),
      "a run fired by the survivor",
    );
    expect(Date.now() - killedAt).toBeLessThan(20_000);
    survivor.child.kill("SIGTERM");
    const ended = await survivor.result;
    expect(ended.code).toBe(0);
    expect(ended.stderr).toMatch(/leading: this scheduler fires schedules/);

    const rows = history(home);
    const fired = rows.filter((r) => r.run_id !== null);
    // One row per occurrence (the key), one run per fired occurrence, every due time 2 s apart.
    expect(new Set(rows.map((r) => r.due_at)).size).toBe(rows.length);
    expect(new Set(fired.map((r) => r.run_id)).size).toBe(fired.length);
    expect(rows.every((r) => r.due_at % 2000 === 0)).toBe(true);
    const runs = parseJson<{ runs: unknown[] }>(await runCli(["runs", "--json"], { home }));
    expect(runs.runs).toHaveLength(fired.length);
  }, 120_000);
});

describe("schedule commands", () => {
  it("reject bad timing with exit 2 naming the field, and store nothing", async () => {
    const { dir, home } = await makeWorkDir();
    const scraper = join(dir, "tiny.yaml");
    await writeFile(
      scraper,
      `name: tiny\ntargets: [{ name: one, start: "http://127.0.0.1:9/" }]\npages:\n  page:\n    record: { title: h1 }\n`,
    );
    const cases: [string[], RegExp][] = [
      [["--cron", "61 * * * *"], /--cron: "61 \* \* \* \*" is invalid/],
      [["--cron", "0 0 30 2 *"], /--cron: .* can never fire/],
      [["--daily", "09:00", "--tz", "Nowhere/Town"], /--tz: unknown time zone "Nowhere\/Town"/],
      [["--every", "15m", "--active-hours", "7-22"], /--active-hours: "7-22" is not a window/],
      [["--every", "15m", "--catch-up", "all"], /--catch-up: "all" is not one of none, latest/],
    ];
    for (const [flags, message] of cases) {
      const result = await runCli(["schedule", "add", scraper, ...flags], { home });
      expect(result.code, flags.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const list = await runCli(["schedule", "list", "--json"], { home });
    expect(parseJson(list)).toEqual({ schedules: [] });
  });

  it("preview and next print the next occurrences as ISO instants", async () => {
    const { dir, home } = await makeWorkDir();
    const preview = await runCli(
      [
        "schedule",
        "preview",
        "--cron",
        "30 2 * * *",
        "--tz",
        "Europe/Berlin",
        "--from",
        "2026-03-28T12:00Z",
        "--count",
        "2",
        "--json",
      ],
      { home },
    );
    expect(parseJson(preview)).toEqual({ next: ["2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"] });
    const scraper = join(dir, "tiny.yaml");
    await writeFile(
      scraper,
      `name: tiny\ntargets: [{ name: one, start: "http://127.0.0.1:9/" }]\npages:\n  page:\n    record: { title: h1 }\n`,
    );
    const { id } = parseJson<{ id: string }>(
      await runCli(["schedule", "add", scraper, "--weekly", "mon,thu@09:00", "--tz", "UTC", "--json"], {
        home,
      }),
    );
    const next = parseJson<{ next: string[] }>(
      await runCli(["schedule", "next", id, "--count", "4", "--json"], { home }),
    );
    expect(next.next).toHaveLength(4);
    for (const at of next.next) {
      expect(at).toMatch(/T09:00:00\.000Z$/);
      expect([1, 4]).toContain(new Date(at).getUTCDay());
    }
    const paused = parseJson<{ status: string; next: null }>(
      await runCli(["schedule", "pause", id, "--json"], { home }),
    );
    expect(paused).toMatchObject({ status: "paused", pausedReason: "paused by hand", next: null });
    const shown = await runCli(["schedule", "list"], { home });
    expect(shown.stdout).toMatch(/paused: paused by hand/);
  });

  it("edit, resume, run-now, history, show and rm manage a schedule", async () => {
    const { dir, home } = await makeWorkDir();
    const scraper = join(dir, "tiny.yaml");
    await writeFile(
      scraper,
      `name: tiny\ntargets: [{ name: one, start: "http://127.0.0.1:9/" }]\npages:\n  page:\n    record: { title: h1 }\n`,
    );
    const { id } = parseJson<{ id: string }>(
      await runCli(["schedule", "add", scraper, "--daily", "06:30", "--json"], { home }),
    );
    const edited = parseJson(
      await runCli(
        [
          "schedule",
          "edit",
          id,
          "--every",
          "2h",
          "--tz",
          "Asia/Tokyo",
          "--days",
          "sat,sun",
          "--retries",
          "2",
          "--json",
        ],
        { home },
      ),
    );
    expect(edited).toMatchObject({
      when: "every 2h",
      zone: "Asia/Tokyo",
      days: "sat,sun",
      retries: 2,
      catchUp: "none",
    });
    const nothing = await runCli(["schedule", "edit", id], { home });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to change/);
    await runCli(["schedule", "pause", id, "--reason", "site down for maintenance"], { home });
    const resumed = parseJson(await runCli(["schedule", "resume", id, "--json"], { home }));
    expect(resumed).toMatchObject({ status: "active", pausedReason: null, next: expect.any(String) });

    const queued = await runCli(["schedule", "run-now", id], { home });
    expect(queued.code).toBe(0);
    expect(queued.stderr).toMatch(/no scheduler is running/);
    const history = parseJson<{ history: { kind: string; status: string }[] }>(
      await runCli(["schedule", "history", id, "--json"], { home }),
    );
    expect(history.history).toEqual([expect.objectContaining({ kind: "manual", status: "waiting" })]);
    const shown = parseJson(await runCli(["schedule", "show", id, "--json"], { home }));
    expect(shown).toMatchObject({
      id,
      upcoming: expect.any(Array),
      history: [expect.objectContaining({ kind: "manual" })],
    });
    expect(parseJson(await runCli(["scheduler", "status", "--json"], { home }))).toEqual({
      running: false,
      schedulers: [],
    });

    expect(parseJson(await runCli(["schedule", "rm", id, "--json"], { home }))).toEqual({ removed: id });
    const gone = await runCli(["schedule", "show", id], { home });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(new RegExp(`no schedule ${id}`));
    // A dozen CLI processes: on a busy 2-core machine each start can take seconds.
  }, 120_000);
});
