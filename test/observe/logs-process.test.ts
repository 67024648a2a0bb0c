/**
 * Process logs (issue 16, item 1) of real trawl processes: `trawl serve` writes JSON lines with
 * their component and run to `$TRAWL_HOME/logs/`, mirrors its runs' log lines there, serves them
 * through GET /api/logs, survives a scraper's uncaught exception with a crash report (GET
 * /api/crashes), and has its stopping line on disk after SIGTERM; a `trawl run` killed with
 * SIGKILL right after a run logged a line has that line on disk.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { DemoSite } from "../../src/demo/index.ts";
import { readLastLogLines } from "../../src/observe/index.ts";
import {
  makeWorkDir,
  runCli,
  runIdOf,
  startCli,
  startSite,
  writeExample,
  type CliProcess,
} from "../cli/run-cli.ts";
import { writeCrashingScraper } from "./crash-run.ts";

let site: DemoSite;
beforeAll(async () => {
  site = await startSite({ booksPerCategory: 20 });
});

/** The lines of the data directory's logs, parsed. */
function logEntries(home: string): Record<string, unknown>[] {
  return readLastLogLines(home, 10_000).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("process logs", { timeout: 120_000 }, () => {
  it("trawl serve: lines with component and run on disk and in GET /api/logs; a crash reported, serving on; SIGTERM's line kept", async () => {
    const { dir, home } = await makeWorkDir();
    const scraper = await writeCrashingScraper(dir, site, "exception");
    const server: CliProcess = startCli(["serve", "--port", "0", "--no-scheduler", "--scrapers", dir], {
      home,
      timeoutMs: 90_000,
    });
    const url = (await server.waitForStderr(/trawl is at (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
    const token = (await readFile(join(home, "access-token"), "utf8")).trim();
    const api = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${url}/api${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const started = await api("/runs", { method: "POST", body: JSON.stringify({ file: scraper.file }) });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const runId = started.body.id as string;
    await writeFile(scraper.trigger, "");
    // The scraper throws where nobody catches it: reported on stderr, the server goes on.
    await server.waitForStderr(/fatal uncaught: Error: injected exception/);
    await server.waitForStderr(new RegExp(`run finished: succeeded \\(run ${runId}\\)`), 60_000);

    // On disk: JSON lines, each with its component; the run's own log lines with its id.
    const entries = logEntries(home);
    expect(entries.every((entry) => typeof entry.component === "string")).toBe(true);
    expect(entries).toContainEqual(
      expect.objectContaining({
        component: "server",
        process: "serve",
        msg: expect.stringMatching(/^trawl is at/),
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ component: "run", runId, level: "warn", msg: scraper.canary }),
    );

    // The viewer's API: by level, component, run and text, newest last.
    const byRun = await api(`/logs?run=${runId}&level=warn`);
    expect(byRun.status).toBe(200);
    const runLines = byRun.body.lines as { level: string; runId: string }[];
    expect(runLines.every((line) => line.runId === runId && ["warn", "error"].includes(line.level))).toBe(
      true,
    );
    expect(runLines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        component: "run",
        runId,
        message: scraper.canary,
        process: "serve",
      }),
    );
    const text = await api(`/logs?q=${encodeURIComponent("INJECTED exception")}&component=crash`);
    expect(text.body.lines).toEqual([
      expect.objectContaining({
        level: "fatal",
        component: "crash",
        message: expect.stringContaining("injected"),
      }),
    ]);
    const limited = await api("/logs?limit=2");
    expect(limited.body.lines).toHaveLength(2);
    expect((await api("/logs?level=loud")).status).toBe(400);

    // The crash report: kept, listed, the server still serving.
    const crashes = await api("/crashes");
    expect(crashes.body.crashes).toEqual([
      expect.objectContaining({
        kind: "uncaughtException",
        exited: false,
        process: "serve",
        runIds: [runId],
      }),
    ]);
    const [crash] = crashes.body.crashes as { id: string }[];
    const report = await api(`/crashes/${crash!.id}`);
    expect(report.body).toMatchObject({ message: "injected exception", error: { name: "Error" } });
    expect((report.body.logLines as string[]).some((line) => line.includes(scraper.canary))).toBe(true);
    const missing = await api("/crashes/crash-20260101T000000000Z-1");
    expect(missing).toMatchObject({ status: 404, body: { code: "TRAWL_ERR_OBSERVE_CRASH_NOT_FOUND" } });

    server.child.kill("SIGTERM");
    expect((await server.result).code).toBe(0);
    expect(logEntries(home)).toContainEqual(
      expect.objectContaining({ component: "server", msg: expect.stringMatching(/^SIGTERM: stopping/) }),
    );
  });

  it("trawl serve whose stderr is gone (its terminal or pipe closed) keeps serving and logging to disk", async () => {
    // Found by a soak whose parent died: every console line failed with EPIPE, each failure was
    // reported as a crash whose own line failed again, and the server spun on them, serving
    // nothing, writing 50 crash reports a second and 10 MB of log a minute.
    const { dir, home } = await makeWorkDir();
    const scraper = await writeExample(dir, "bookshop", site);
    const server = startCli(["serve", "--port", "0", "--no-scheduler", "--scrapers", dir], {
      home,
      timeoutMs: 60_000,
    });
    const url = (await server.waitForStderr(/trawl is at (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
    const token = (await readFile(join(home, "access-token"), "utf8")).trim();
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    server.child.stderr!.destroy();

    const started = await fetch(`${url}/api/runs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ file: scraper }),
    });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    let status = "";
    for (const until = Date.now() + 30_000; status !== "succeeded" && Date.now() < until;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const run = await fetch(`${url}/api/runs/${id}`, { headers, signal: AbortSignal.timeout(5_000) });
      status = ((await run.json()) as { status: string }).status;
    }
    expect(status).toBe("succeeded");
    const crashes = await fetch(`${url}/api/crashes`, { headers });
    expect(((await crashes.json()) as { crashes: unknown[] }).crashes).toEqual([]);
    // The console is gone, the process log is not: the run's lines are on disk, and why the
    // console stopped.
    expect(logEntries(home)).toContainEqual(
      expect.objectContaining({ runId: id, msg: expect.stringMatching(/^run finished: succeeded/) }),
    );
    expect(logEntries(home)).toContainEqual(
      expect.objectContaining({ level: "warn", msg: expect.stringMatching(/console .*closed/) }),
    );
    server.child.kill("SIGTERM");
    expect((await server.result).code).toBe(0);
  });

  it("trawl run stopped with SIGINT: the signal's line is on disk", async () => {
    const { dir, home } = await makeWorkDir();
    const scraper = await writeCrashingScraper(dir, site, "rejection"); // never triggered here
    const run = startCli(["run", scraper.file], { home, timeoutMs: 60_000 });
    await runIdOf(run);
    await run.waitForStderr(/: [1-9]\d*\/\d+ pages/);
    run.child.kill("SIGINT");
    expect((await run.result).code).toBe(130);
    expect(logEntries(home)).toContainEqual(
      expect.objectContaining({ component: "cli", level: "warn", msg: "SIGINT: stopping gracefully" }),
    );
  });

  it("trawl run refusing its definition leaves no data directory behind (no log, no folder)", async () => {
    const { dir, home } = await makeWorkDir();
    const refused = await runCli(["run", join(dir, "missing.yaml")], { home });
    expect(refused.code, refused.stderr).toBe(2);
    expect(existsSync(home)).toBe(false);
  });

  it("trawl run killed with SIGKILL: the line its run logged just before is on disk", async () => {
    const { dir, home } = await makeWorkDir();
    const scraper = await writeCrashingScraper(dir, site, "hang");
    const run = startCli(["run", scraper.file], { home, timeoutMs: 60_000 });
    const runId = await runIdOf(run);
    await writeFile(scraper.trigger, "");
    // The scraper logs its line, says so, then blocks the process: nothing runs after the line.
    await run.waitForStderr(/CANARY LOGGED/);
    run.child.kill("SIGKILL");
    expect((await run.result).signal).toBe("SIGKILL");
    const last = logEntries(home).at(-1);
    expect(last).toMatchObject({
      component: "run",
      runId,
      level: "warn",
      msg: scraper.canary,
      process: "cli",
    });
  });
});
