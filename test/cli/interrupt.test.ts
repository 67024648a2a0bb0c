/**
 * Ctrl-C during `trawl run`: exit 130, the run left resumable, and `trawl resume` finishes it with
 * exactly the records of an uninterrupted run (DESIGN.md §3.1, §4).
 */
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import type { DemoSite } from "../../src/demo/index.ts";
import { startFaultSite } from "../fixtures/fault-site.ts";
import {
  makeWorkDir,
  parseJson,
  runCli,
  runIdOf,
  startCli,
  startSite,
  writeExample,
  writeText,
  type CliResult,
} from "./run-cli.ts";

interface Summary {
  id: string;
  status: string;
  pauseReason: string | null;
  records: number;
  pages: { done: number; failed: number; pending: number };
}

/** 20 books per category: 45 pages at the default 10 requests/s, a few seconds per run. */
const BOOKS_PER_CATEGORY = 20;
/** A progress line with at least one page done: the crawl is under way, most of it still ahead. */
const PROGRESS = /: [1-9]\d*\/\d+ pages/;

let site: DemoSite;
let file: string;
let baseline: Promise<{ summary: Summary; records: string[] }>;

beforeAll(async () => {
  site = await startSite({ booksPerCategory: BOOKS_PER_CATEGORY });
  const { dir, home } = await makeWorkDir();
  file = await writeExample(dir, "bookshop", site);
  // The uninterrupted run, in its own home, runs while the first test interrupts another one.
  baseline = runCli(["run", file, "--json"], { home, timeoutMs: 60_000 }).then(async (result) => {
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJson<Summary>(result);
    return { summary, records: await exportedRecords(summary.id, home, dir) };
  });
  baseline.catch(() => {}); // reported by the tests that await it
});

/** The run's final records as sorted JSON lines, through `trawl export`. */
async function exportedRecords(runId: string, home: string, dir: string): Promise<string[]> {
  const out = join(dir, `${runId}.jsonl`);
  const result = await runCli(["export", runId, "--format", "jsonl", "--out", out], { home });
  expect(result.code, result.stderr).toBe(0);
  return (await readFile(out, "utf8")).trimEnd().split("\n").sort();
}

/** Lists resumable runs, then resumes `runId` to the end and checks it against the baseline. */
async function expectResumable(
  runId: string,
  status: string,
  home: string,
  dir: string,
  { samePages = true } = {},
): Promise<void> {
  const resumable = await runCli(["runs", "--resumable", "--json"], { home });
  expect(resumable.code, resumable.stderr).toBe(0);
  expect(parseJson(resumable)).toMatchObject({ runs: [{ id: runId, status }] });

  const resumed: CliResult = await runCli(["resume", runId, "--json"], { home, timeoutMs: 60_000 });
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stderr).toContain(`run ${runId} resumed`);
  const summary = parseJson<Summary>(resumed);
  const expected = await baseline;
  expect(summary).toMatchObject({ id: runId, status: "succeeded", records: expected.summary.records });
  if (samePages) expect(summary.pages).toEqual(expected.summary.pages);
  // Nothing lost, nothing duplicated: the very same records.
  expect(await exportedRecords(runId, home, dir)).toEqual(expected.records);
}

// Each test runs two or three real crawls (with the baseline beside it): minutes on a busy machine.
describe.concurrent("Ctrl-C during trawl run", { timeout: 150_000 }, () => {
  it("once: stops gracefully with exit 130, the run paused; resume finishes it like an uninterrupted run", async () => {
    const { dir, home } = await makeWorkDir();
    const run = startCli(["run", file, "--json"], { home, timeoutMs: 60_000 });
    const runId = await runIdOf(run);
    await run.waitForStderr(PROGRESS);
    run.child.kill("SIGINT");
    const stopped = await run.result;

    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain("stopping gracefully");
    const summary = parseJson<Summary>(stopped);
    expect(summary).toMatchObject({ id: runId, status: "paused", pauseReason: "stopped" });
    expect(summary.pages.pending).toBeGreaterThan(0);
    expect((await baseline).summary.records).toBe(38);
    await expectResumable(runId, "paused", home, dir);
  });

  it("twice: exits at once with 130, the run is found interrupted and resumes to the same records", async ({
    onTestFinished,
  }) => {
    const { dir, home } = await makeWorkDir();
    // A slow page of a second site keeps a request in flight, so the graceful stop the first
    // Ctrl-C starts is still waiting for it when the second one arrives. It yields no records.
    const slow = await startFaultSite();
    onTestFinished(() => slow.close());
    const yaml = (await readFile(file, "utf8")).replace(
      "\npages:",
      `\n  - name: slow\n    start: ${slow.url}/delay/4000\npages:`,
    );
    const slowFile = await writeText(dir, "bookshop-slow.yaml", yaml);
    const run = startCli(["run", slowFile], { home, timeoutMs: 60_000 });
    const runId = await runIdOf(run);
    await run.waitForStderr(/slow: \d+\/\d+ pages/);
    run.child.kill("SIGINT");
    await run.waitForStderr(/stopping gracefully/);
    run.child.kill("SIGINT");
    const killed = await run.result;

    expect(killed.code, killed.stderr).toBe(130);
    expect(killed.stdout).not.toContain("paused");
    await expectResumable(runId, "interrupted", home, dir, { samePages: false });
  });
});
