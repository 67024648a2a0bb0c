/**
 * Crash reports (issue 16, item 5): an unhandled rejection in a real `trawl run` process mid-crawl
 * writes a report to `$TRAWL_HOME/crashes/` (stack, version, command, the run, the last log lines,
 * the crash's own line on disk), the process exits non-zero, and `trawl resume` finishes the run.
 */
import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { listCrashReports, readCrashReport, readLastLogLines } from "../../src/observe/index.ts";
import { makeWorkDir, parseJson, runCli, runIdOf, startCli, startSite } from "../cli/run-cli.ts";
import { writeCrashingScraper } from "./crash-run.ts";

/** A progress line with at least one page done: the crawl is under way. */
const PROGRESS = /: [1-9]\d*\/\d+ pages/;

describe("crash reports", { timeout: 120_000 }, () => {
  it("an unhandled rejection mid-run: a report, exit 1, the run resumable to the end", async () => {
    const site = await startSite({ booksPerCategory: 20 });
    const { dir, home } = await makeWorkDir();
    const scraper = await writeCrashingScraper(dir, site, "rejection");
    const crashing = startCli(["run", scraper.file, "--json"], { home, timeoutMs: 60_000 });
    const id = await runIdOf(crashing);
    await crashing.waitForStderr(PROGRESS);
    await writeFile(scraper.trigger, "");
    const crashed = await crashing.result;

    expect(crashed.code, crashed.stderr).toBe(1);
    const path = /crash report: (\S+)/.exec(crashed.stderr)?.[1];
    expect(path, crashed.stderr).toContain(`${home}/crashes/crash-`);
    const [summary] = listCrashReports(home);
    expect(summary).toMatchObject({ kind: "unhandledRejection", exited: true, process: "cli", runIds: [id] });
    const report = readCrashReport(home, summary!.id)!;
    expect(report.error).toMatchObject({ name: "Error", message: "injected rejection" });
    expect(report.error.stack).toContain("crashing-rejection.mjs");
    expect(report).toMatchObject({
      version: expect.any(String),
      node: process.version,
      pid: crashing.child.pid,
    });
    expect(report.command).toEqual(["run", scraper.file, "--json"]);
    // The last log lines: the run's canary (its run log, mirrored), then the crash's own line.
    const canaryAt = report.logLines.findIndex((line) => line.includes(scraper.canary));
    expect(canaryAt, report.logLines.join("\n")).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(report.logLines[canaryAt]!)).toMatchObject({
      component: "run",
      runId: id,
      level: "warn",
    });
    expect(JSON.parse(report.logLines.at(-1)!)).toMatchObject({ component: "crash", level: "fatal" });
    expect(readLastLogLines(home, 1)[0]).toContain("crash report: ");

    const resumed = await runCli(["resume", id, "--json"], { home, timeoutMs: 60_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(parseJson(resumed)).toMatchObject({ id, status: "succeeded", records: 38 });
  });

  it("trawl scheduler: an uncaught exception in a scheduled run, a report, exit 1, the run resumable", async () => {
    const site = await startSite({ booksPerCategory: 20 });
    const { dir, home } = await makeWorkDir();
    const scraper = await writeCrashingScraper(dir, site, "exception");
    await writeFile(scraper.trigger, ""); // it crashes as soon as it runs
    const added = await runCli(["schedule", "add", scraper.file, "--manual", "--json"], { home });
    expect(added.code, added.stderr).toBe(0);
    const schedule = parseJson<{ id: string }>(added).id;
    expect((await runCli(["schedule", "run-now", schedule], { home })).code).toBe(0);

    const daemon = await runCli(["scheduler"], { home, timeoutMs: 60_000 });
    expect(daemon.code, daemon.stderr).toBe(1);
    expect(daemon.stderr).toMatch(/fatal uncaught: Error: injected exception/);
    const [summary] = listCrashReports(home);
    expect(summary).toMatchObject({ kind: "uncaughtException", exited: true, process: "scheduler" });
    expect(summary!.runIds).toHaveLength(1);
    const id = summary!.runIds[0]!;

    const resumed = await runCli(["resume", id, "--json"], { home, timeoutMs: 60_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(parseJson(resumed)).toMatchObject({ id, status: "succeeded", records: 38 });
  });
});
