/**
 * `trawl pause|resume|stop|cancel RUN` from a second process while a first one executes the run:
 * the commands go through the database, and the executing process obeys them (DESIGN.md §3.2).
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  makeWorkDir,
  parseJson,
  runCli,
  runIdOf,
  startCli,
  startSite,
  writeExample,
  type CliProcess,
} from "./run-cli.ts";

interface Summary {
  id: string;
  status: string;
  pauseReason: string | null;
  records: number;
  steps: { name: string; status: string }[];
  dataset: { name: string; version: number } | null;
}

/** 2 × 28 clean pages at 5 requests/s: a run lasts about 11 s, long enough to be steered on a busy machine. */
const SLOW = "\npoliteness:\n  rate_per_host: 5\n";

let file: string;

beforeAll(async () => {
  const site = await startSite({ booksPerCategory: 25, faults: false });
  const { dir } = await makeWorkDir();
  file = await writeExample(dir, "bookshop", site, SLOW);
});

/** Starts `trawl run --json` in a fresh home and waits until it has fetched something. */
async function startRun(): Promise<{ home: string; run: CliProcess; runId: string }> {
  const { home } = await makeWorkDir();
  const run = startCli(["run", file, "--json"], { home, timeoutMs: 60_000 });
  const runId = await runIdOf(run);
  await run.waitForStderr(/: [1-9]\d*\/\d+ pages/);
  return { home, run, runId };
}

async function show(runId: string, home: string): Promise<Summary> {
  const result = await runCli(["show", runId, "--json"], { home });
  expect(result.code, result.stderr).toBe(0);
  return parseJson<Summary>(result);
}

describe.concurrent("controlling a run from a second process", () => {
  it("pause holds it, resume lets it finish: the first process exits 0, succeeded", async () => {
    const { home, run, runId } = await startRun();

    const paused = await runCli(["pause", runId, "--json"], { home });
    expect(paused.code, paused.stderr).toBe(0);
    expect(parseJson(paused)).toMatchObject({ id: runId, status: "paused", pauseReason: "user" });
    await run.waitForStderr(new RegExp(`run ${runId} paused \\(user\\)`));
    expect(run.child.exitCode).toBeNull(); // still there, waiting
    expect(await show(runId, home)).toMatchObject({ status: "paused" });

    const resumed = await runCli(["resume", runId], { home });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`asked the process executing ${runId} to resume`);

    const finished = await run.result;
    expect(finished.code, finished.stderr).toBe(0);
    expect(parseJson(finished)).toMatchObject({ id: runId, status: "succeeded", records: 50 });
  });

  it("a breakpoint holds the run before its step until a second process resumes it", async () => {
    const { home } = await makeWorkDir();
    const run = startCli(["run", file, "--json", "--breakpoint", "export"], { home, timeoutMs: 60_000 });
    const runId = await runIdOf(run);
    await run.waitForStderr(/paused \(breakpoint before export\)/);
    expect(run.child.exitCode).toBeNull();
    const held = await show(runId, home);
    expect(held).toMatchObject({ status: "paused", pauseReason: "breakpoint:export", dataset: null });
    expect(held.steps.map((s) => s.status)).toEqual(["done", "done", "done", "pending"]);

    const resumed = await runCli(["resume", runId], { home });
    expect(resumed.code, resumed.stderr).toBe(0);
    const finished = await run.result;
    expect(finished.code, finished.stderr).toBe(0);
    expect(parseJson(finished)).toMatchObject({
      status: "succeeded",
      dataset: { name: "books", version: 1 },
    });
  });

  it("stop: the first process exits 130 and the run stays resumable", async () => {
    const { home, run, runId } = await startRun();

    const stopped = await runCli(["stop", runId, "--json"], { home });
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(parseJson(stopped)).toMatchObject({ id: runId, status: "paused", pauseReason: "stopped" });

    const first = await run.result;
    expect(first.code, first.stderr).toBe(130);
    expect(parseJson(first)).toMatchObject({ id: runId, status: "paused", pauseReason: "stopped" });
    const resumable = await runCli(["runs", "--resumable", "--json"], { home });
    expect(parseJson(resumable)).toMatchObject({ runs: [{ id: runId, status: "paused" }] });
  });

  it("cancel: the first process exits 1, the run is cancelled and resume refuses it with exit 2", async () => {
    const { home, run, runId } = await startRun();

    const cancelled = await runCli(["cancel", runId, "--json"], { home });
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(parseJson(cancelled)).toMatchObject({ id: runId, status: "cancelled" });

    const first = await run.result;
    expect(first.code, first.stderr).toBe(1);
    expect(parseJson(first)).toMatchObject({ id: runId, status: "cancelled" });
    expect(await show(runId, home)).toMatchObject({ status: "cancelled" });

    const resume = await runCli(["resume", runId, "--json"], { home });
    expect(resume.code).toBe(2);
    expect(parseJson(resume)).toMatchObject({
      error: { code: "TRAWL_ERR_ENGINE_INVALID_TRANSITION", details: { runId, from: "cancelled" } },
    });
  });
});
