/**
 * A run's latency percentiles come from counts per bucket (latency-counts.ts): they cover every
 * response of the run, across a resume and across the processes of a run on several machines.
 */
import { describe, expect, it } from "vitest";
import { countLatency, latencyBucket, latencyPercentiles } from "../../src/engine/latency-counts.ts";
import { RunStats, withShares } from "../../src/engine/run-stats.ts";

const attempt = (latencyMs: number) => ({
  url: "http://a.test/",
  host: "a.test",
  bytes: 1,
  latencyMs,
  attempt: 0,
});

describe("latency counts", () => {
  it("are exact below 100 ms and within 5 % above", () => {
    expect([0, 7, 99].map(latencyBucket)).toEqual([0, 7, 99]);
    for (let ms = 100; ms < 100_000; ms += 7) {
      const bucket = latencyBucket(ms);
      expect(Math.abs(bucket - ms) / ms).toBeLessThanOrEqual(0.05);
    }
    const counts = {};
    for (let ms = 1; ms <= 100; ms++) countLatency(counts, ms);
    expect(latencyPercentiles(counts, [0.5, 0.95, 1])).toEqual([50, 95, 100]);
    expect(latencyPercentiles({}, [0.5])).toEqual([0]);
  });

  it("keep a resumed run's earlier responses in its percentiles", () => {
    const first = new RunStats();
    for (let i = 0; i < 900; i++) first.record(attempt(10));
    const stored = JSON.parse(JSON.stringify(first.snapshot(900, 10)));
    // The second session answers slowly: a window of its own samples would say p50 = 500 ms.
    const second = new RunStats(stored);
    for (let i = 0; i < 100; i++) second.record(attempt(500));
    expect(second.snapshot(1000, 20).latencyMs).toEqual({ p50: 10, p95: 500, max: 500 });
  });

  it("add up over a run's processes", () => {
    const coordinator = new RunStats();
    for (let i = 0; i < 10; i++) coordinator.record(attempt(20));
    const worker = new RunStats();
    for (let i = 0; i < 90; i++) worker.record(attempt(40));
    const merged = withShares(coordinator.snapshot(100, 1), [worker.snapshot(90, 0)]);
    expect(merged.latencyMs).toEqual({ p50: 40, p95: 40, max: 40 });
    expect(merged.latencyCounts).toEqual({ 20: 10, 40: 90 });
  });
});
