/**
 * The resource governor's rules on the live process: admission in turn under pressure, the
 * concurrency it allows at each level, and CPU time charged to running runs only.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ResourceGovernor } from "../../src/engine/index.ts";
import type { RunUsageOptions } from "../../src/engine/run-usage.ts";

const governors: ResourceGovernor[] = [];

afterEach(() => {
  for (const governor of governors.splice(0)) governor.close();
});

function governor(ceilingBytes: number, sampleMs = 20): ResourceGovernor {
  const made = new ResourceGovernor({ ceilingBytes, sampleMs });
  governors.push(made);
  return made;
}

function usageOptions(overrides: Partial<RunUsageOptions> = {}): RunUsageOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    limits: {},
    cpuSecondsBefore: 0,
    active: () => true,
    log: (_level, message) => void lines.push(message),
    lines,
    ...overrides,
  };
}

/** Spends about `ms` of CPU time on this thread. */
function burn(ms: number): void {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x += Math.sqrt(x + 1);
}

describe("ResourceGovernor", () => {
  it("over its ceiling, starts one run at a time, in the order they came, and drops a cancelled one", async () => {
    const g = governor(1); // every process is over a 1-byte ceiling
    expect(await g.admit("first")).toBe(true); // nothing else executes: it starts
    const first = await g.track("first", usageOptions());
    let heldSecond = false;
    const second = g.admit("second", () => (heldSecond = true));
    const third = g.admit("third");
    const cancelled = g.admit("cancelled");
    expect(heldSecond).toBe(true);
    expect(g.state().waiting).toEqual(["second", "third", "cancelled"]);
    g.withdraw("cancelled");
    expect(await cancelled).toBe(false);

    first.release();
    expect(await second).toBe(true);
    expect(g.state().waiting).toEqual(["third"]);
    (await g.track("second", usageOptions())).release();
    expect(await third).toBe(true);
    expect(g.state().waiting).toEqual([]);
  });

  it("allows the whole concurrency below the high mark, half above it, one at the ceiling", async () => {
    const rss = process.memoryUsage.rss();
    expect(governor(rss * 4).allowance(8)).toEqual({ allowed: 8, level: "ok" });
    const high = governor(Math.round(rss / 0.95));
    await high.admit("r");
    await high.track("r", usageOptions());
    expect(high.level).toBe("high");
    expect(high.allowance(8).allowed).toBe(4);
    expect(high.allowance(1).allowed).toBe(1);
    const critical = governor(1);
    await critical.admit("r");
    const options = usageOptions();
    const usage = await critical.track("r", options);
    expect(critical.allowance(8)).toMatchObject({ allowed: 1, pressure: expect.stringContaining("ceiling") });
    // The run's log says so once, not at every request, nor when its own concurrency moves.
    expect(usage.allowance(8)).toBe(1);
    expect(usage.allowance(8)).toBe(1);
    expect(usage.allowance(6)).toBe(1);
    expect(options.lines).toEqual([
      expect.stringMatching(/^memory pressure \(resident .*\): at most 1 of 8 requests in flight$/),
    ]);
  });

  it("charges CPU time to running runs, not to paused ones, and trips max_cpu", async () => {
    const g = governor(Number.MAX_SAFE_INTEGER);
    await g.admit("busy");
    const busy = await g.track("busy", usageOptions({ limits: { maxCpuMs: 150 }, cpuSecondsBefore: 0.05 }));
    await g.admit("paused");
    const paused = await g.track("paused", usageOptions({ active: () => false }));
    for (let i = 0; i < 40 && !busy.exceeded(); i++) {
      burn(20);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(busy.exceeded()).toBe("max_cpu (150ms)");
    // The earlier sessions' 50 ms count: it tripped with about 100 ms charged here.
    expect(busy.cpuMs).toBeGreaterThanOrEqual(100);
    expect(busy.cpuMs).toBeLessThan(1000);
    expect(paused.cpuMs).toBe(0);
    expect(g.state().runs.map((run) => run.runId)).toEqual(["busy", "paused"]);
  });
});
