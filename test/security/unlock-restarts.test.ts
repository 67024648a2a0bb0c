/**
 * Attempt limiting survives restarts (issue 15, item 4, "done when"): a scripted guesser sends
 * wrong PINs to a real `trawl serve`, which is `kill -9`ed (with a burst of guesses in flight) and
 * started again every 100 attempts. The guesses admitted (answers other than 429) never exceed
 * what the policy allows in the time the run took, and the database counted every one of them.
 * A counter kept in memory, or written after the answer, would admit 5 more after each restart.
 */
import { describe, expect, it } from "vitest";
import { makeWorkDir, runCli, startCli, type CliProcess } from "../cli/run-cli.ts";
import { request } from "../server/helpers.ts";

const PIN = "482916";
// 1,000 guesses, as the issue asks: ten servers, each killed after its hundredth.
const ROUNDS = 10;
const ATTEMPTS_PER_ROUND = 100;
const BURST = 10;

/** The most guesses the policy admits in `elapsedMs`: 5 at once, then 1 s, 2 s, 4 s … apart (n ≤ 5 + log2(t + 1)). */
function policyBound(elapsedMs: number): number {
  return 5 + Math.floor(Math.log2(elapsedMs / 1000 + 1));
}

async function serve(home: string): Promise<{ process: CliProcess; url: string }> {
  const process = startCli(["serve", "--port", "0", "--no-scheduler"], { home, timeoutMs: 60_000 });
  const [, url] = await process.waitForStderr(/trawl is at (http:\/\/127\.0\.0\.1:\d+)[ /]/);
  return { process, url: url! };
}

async function kill9(process: CliProcess): Promise<void> {
  process.child.kill("SIGKILL");
  expect((await process.result).signal).toBe("SIGKILL");
}

describe("unlock attempt limits across kill -9", () => {
  it("admits no more guesses than the policy allows, and loses no count", { timeout: 120_000 }, async () => {
    const { home } = await makeWorkDir();
    const set = await runCli(["security", "pin", "set"], { home, input: `${PIN}\n` });
    expect(set.code, set.stderr).toBe(0);

    const statuses = new Map<number, number>();
    let admitted = 0;
    const started = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      const { process, url } = await serve(home);
      for (let sent = 0; sent < ATTEMPTS_PER_ROUND; sent += BURST) {
        const burst = Array.from({ length: BURST }, (_, i) =>
          request(url, "POST", "/api/security/unlock", { pin: String(100000 + round * 1000 + sent + i) }),
        );
        if (sent + BURST < ATTEMPTS_PER_ROUND) {
          for (const { status } of await Promise.all(burst)) {
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status !== 429) admitted++;
          }
          continue;
        }
        // The round's last burst is in flight when the server is killed: answered or not, each
        // admitted guess must be counted already.
        const settled = Promise.allSettled(burst);
        await kill9(process);
        for (const outcome of await settled)
          if (outcome.status === "fulfilled" && outcome.value.status !== 429) admitted++;
      }
    }
    const elapsedMs = Date.now() - started;

    const { process, url } = await serve(home);
    const status = (await request(url, "GET", "/api/security/status")).json;
    await kill9(process);

    expect([...statuses.keys()].sort()).toEqual([401, 429]); // wrong PIN, or wait: nothing else
    expect(admitted).toBeGreaterThanOrEqual(5);
    expect(status.failures).toBeGreaterThanOrEqual(admitted); // every admitted guess was counted
    expect(status.failures).toBeLessThanOrEqual(policyBound(elapsedMs));
    console.log(
      `unlock-restarts: ${ROUNDS * ATTEMPTS_PER_ROUND} guesses over ${ROUNDS} kill -9s in ${elapsedMs} ms: ` +
        `${admitted} answered as admitted, ${status.failures} counted, policy bound ${policyBound(elapsedMs)}`,
    );
  });
});
