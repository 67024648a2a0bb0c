/**
 * `trawl workers` (issue 17, item 7): a `trawl run` process executing a run reports itself to the
 * fleet on its heartbeat (host, pid, its run, pages/s) and leaves it when it exits.
 */
import { hostname } from "node:os";
import { expect, it } from "vitest";
import type { Fleet, FleetWorker } from "../../src/core/contract/workers.ts";
import { makeWorkDir, parseJson, runCli, runIdOf, startCli, startSite, writeExample } from "./run-cli.ts";

/** 2 × 28 pages at 5 requests/s: about 11 s of crawling, stopped long before. */
const SLOW = "\npoliteness:\n  rate_per_host: 5\n";

async function fleet(home: string): Promise<FleetWorker[]> {
  const result = await runCli(["workers", "--json"], { home });
  expect(result.code, result.stderr).toBe(0);
  return parseJson<Fleet>(result).workers;
}

it("lists a trawl run process while it executes its run, with its pages/s, and not once it exited", async () => {
  const site = await startSite({ booksPerCategory: 25, faults: false });
  const { dir, home } = await makeWorkDir();
  const file = await writeExample(dir, "bookshop", site, SLOW);

  const run = startCli(["run", file, "--json"], { home, timeoutMs: 60_000 });
  const runId = await runIdOf(run);
  await run.waitForStderr(/: [1-9]\d*\/\d+ pages/);
  // Reports come every second: the one after the first pages has them per second.
  let worker: FleetWorker | undefined;
  for (let tries = 0; tries < 20 && !(worker && worker.pagesPerSecond > 0); tries++)
    worker = (await fleet(home)).find((w) => w.pid === run.child.pid);
  expect(worker).toMatchObject({
    host: hostname(),
    pid: run.child.pid,
    kind: "run",
    runs: [runId],
    stale: false,
  });
  // Its pages in flight (a slow site): each one a lease it holds.
  expect(worker!.leases).toBeGreaterThan(0);
  expect(worker!.id).toMatch(new RegExp(`^${hostname()}:${run.child.pid}:`));
  expect(worker!.pagesPerSecond).toBeGreaterThan(0);
  expect(worker!.concurrency).toBeGreaterThan(0);

  const text = await runCli(["workers"], { home });
  expect(text.stdout).toMatch(new RegExp(`^${hostname()}\\s+${run.child.pid}\\s+run\\s+${runId}\\s`, "m"));

  expect((await runCli(["stop", runId], { home })).code).toBe(0);
  expect((await run.result).code).toBe(130);
  expect(await fleet(home)).toEqual([]);
  expect((await runCli(["workers"], { home })).stdout).toBe("no process is executing runs\n");
});
