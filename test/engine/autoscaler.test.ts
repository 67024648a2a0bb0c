/**
 * The autoscaler's rules against a simulated site (`concurrency: auto`, issue 16 item 7): a site
 * that serves `capacity` requests at once and queues the rest (latency rises with load), one that
 * answers 429 past a concurrency, and a bottleneck that is not the site (throughput flat).
 */
import { describe, expect, it } from "vitest";
import { ConcurrencyAutoscaler, type AutoscaleChange } from "../../src/engine/autoscaler.ts";

interface Site {
  /** Latency of a request while `inFlight` are in flight. */
  latencyMs(inFlight: number): number;
  status?(inFlight: number): number;
}

/**
 * An autoscaler on a simulated clock, and `run(rounds)`: each round the whole limit is in flight
 * and finishes together; returns the limit of each round.
 */
function simulator(site: Site, start = 4, max = 64) {
  let clock = 0;
  const changes: AutoscaleChange[] = [];
  const scaler = new ConcurrencyAutoscaler(
    { start, min: 1, max },
    () => clock,
    (c) => changes.push(c),
    false,
  );
  const run = (rounds: number) => {
    const limits: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const limit = scaler.limit(0);
      scaler.limit(limit);
      const latencyMs = site.latencyMs(limit);
      clock += latencyMs;
      for (let i = 0; i < limit; i++) scaler.observe({ latencyMs, status: site.status?.(limit) ?? 200 });
      limits.push(limit);
    }
    return limits;
  };
  return { scaler, changes, run };
}

function simulate(site: Site, rounds: number, start = 4, max = 64) {
  const { changes, run } = simulator(site, start, max);
  const limits = run(rounds);
  return { limits, changes, final: limits.at(-1)! };
}

/** Serves 16 at once in 20 ms; the rest wait their turn. */
const queueing: Site = { latencyMs: (n) => 20 * Math.max(1, n / 16) };

describe("concurrency: auto", () => {
  it("grows to the site's capacity and stays near it when latency rises with load", () => {
    const { limits, final } = simulate(queueing, 400);
    expect(final).toBeGreaterThanOrEqual(16);
    expect(final).toBeLessThanOrEqual(32);
    // It got there early and never ran away.
    expect(limits.slice(100).every((l) => l >= 12 && l <= 40)).toBe(true);
  });

  it("backs off when the site becomes slower for good, then grows again against its new speed", () => {
    let slow = false;
    const changing: Site = { latencyMs: (n) => (slow ? 200 : 20) * Math.max(1, n / 16) };
    const { scaler, run } = simulator(changing);
    expect(run(300).at(-1)).toBeGreaterThanOrEqual(16);
    slow = true;
    const after = run(400);
    expect(Math.min(...after)).toBeLessThan(8);
    expect(after.at(-1)).toBeGreaterThanOrEqual(16);
    scaler.close();
  });

  it("halves on 429s instead of piling them up", () => {
    const throttling: Site = { latencyMs: () => 20, status: (n) => (n > 8 ? 429 : 200) };
    const { limits, changes } = simulate(throttling, 400);
    expect(changes.some((c) => c.why.includes("429"))).toBe(true);
    const over = limits.slice(100).filter((l) => l > 8).length;
    // It probes above the threshold now and then, and halves at once each time.
    expect(over / limits.slice(100).length).toBeLessThan(0.35);
    expect(Math.max(...limits)).toBeLessThanOrEqual(16);
  });

  it("stops growing when more in flight brings no more pages/s", () => {
    // Throughput capped at 200 pages/s whatever the concurrency (a rate limit): latency grows
    // only in proportion, never past the healthy band in one step.
    const capped: Site = { latencyMs: (n) => Math.max(20, (1000 * n) / 200) * 0.999 };
    const { final, changes } = simulate(capped, 400);
    expect(final).toBeLessThanOrEqual(16);
    expect(changes.length).toBeGreaterThan(0);
  });

  it("never goes past its bounds", () => {
    const fast: Site = { latencyMs: () => 5 };
    const { limits } = simulate(fast, 1000, 2, 10);
    expect(Math.max(...limits)).toBe(10);
    expect(Math.min(...limits)).toBeGreaterThanOrEqual(1);
  });
});
