/** A crawl of 10,000 hosts stays under 1,000 series: no URL or host labels but the busiest hosts' rates. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NAMED_HOSTS, TrawlMetrics } from "../../src/observe/index.ts";
import { openSqliteStore, type Store } from "../../src/store/index.ts";
import { parseMetrics } from "./prometheus-text.ts";

const HOSTS = 10_000;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

describe("metrics cardinality", () => {
  it("keeps 10,000 hosts' events and rate limiters under 1,000 series", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trawl-metrics-"));
    const store: Store = openSqliteStore(join(dir, "trawl.db"));
    const host = (i: number) => `shop-${i}.example`;
    const hosts = Array.from({ length: HOSTS }, (_, i) => host(i));
    const metrics = new TrawlMetrics({
      store,
      // The busiest host has the highest rate: host i runs at i/100 requests per second.
      hostRates: async () => hosts.map((host, i) => ({ host, rate: i / 100 })),
    });
    cleanup = async () => {
      metrics.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    };
    // Skip reasons carry run ids and a paused schedule's reason as the user wrote it.
    const skipReason = (i: number) =>
      [
        `coalesced into the run for ${new Date(i * 1000).toISOString()}`,
        "missed: a newer occurrence was missed too",
        `its previous run RUN-${i} is still active (overlap skip)`,
        `the schedule is paused (maintenance of ${host(i)})`,
      ][i % 4]!;
    const statuses = [200, 201, 301, 304, 404, 410, 429, 500, 503, undefined];
    const reasons = [undefined, "http_404", "http_429", "http_500", "http_503", "timeout", "refused", "dns"];
    hosts.forEach((host, i) => {
      const url = `https://${host}/item/${i}?q=${i}`;
      const status = statuses[i % statuses.length];
      const reason = reasons[i % reasons.length];
      metrics.observe({
        type: "request.attempted",
        runId: "RUN-1",
        host,
        status,
        reason,
        bytes: 100,
        latencyMs: 12,
        retry: i % 3 === 0,
      });
      if (reason)
        metrics.observe({ type: "request.failed", runId: "RUN-1", url, target: "t", reason, message: url });
      else
        metrics.observe({
          type: "request.finished",
          runId: "RUN-1",
          url,
          target: "t",
          status: 200,
          records: 1,
          links: 2,
        });
      metrics.observe({
        type: "schedule.skipped",
        scheduleId: `S${i}`,
        dueAt: 0,
        reason: skipReason(i),
      });
      metrics.observe({
        type: "schedule.fired",
        scheduleId: `S${i}`,
        dueAt: Date.now() - i,
        runId: `RUN-${i}`,
      });
    });

    const parsed = parseMetrics(await metrics.render());
    const series = parsed.seriesCount();
    console.log(`metrics of ${HOSTS} hosts: ${series} series`);
    expect(series).toBeLessThan(1000);
    expect(parsed.value("trawl_requests_total", { status_class: "4xx", reason: "http_404" })).toBeGreaterThan(
      0,
    );
    expect(parsed.samples("trawl_scheduler_skips_total").map((s) => [s.labels?.reason, s.value])).toEqual(
      ["coalesced", "missed", "overlap", "paused"].map((reason) => [reason, String(HOSTS / 4)]),
    );
    expect(parsed.value("trawl_throttled_responses_total", { status: "429" })).toBe(HOSTS / 10);
    expect(parsed.value("trawl_throttled_responses_total", { status: "503" })).toBe(HOSTS / 10);
    expect(parsed.value("trawl_retries_total")).toBe(Math.ceil(HOSTS / 3));
    expect(parsed.value("trawl_response_bytes_total")).toBe(HOSTS * 100);
    expect(parsed.value("trawl_hosts")).toBe(HOSTS);
    const rates = parsed.samples("trawl_host_rate");
    expect(rates).toHaveLength(NAMED_HOSTS + 1);
    expect(rates.find((s) => s.labels?.host === `shop-${HOSTS - 1}.example`)?.value).toBe(
      String((HOSTS - 1) / 100),
    );
    const total = rates.reduce((sum, s) => sum + Number(s.value), 0);
    expect(total).toBeCloseTo(
      hosts.reduce((sum, _, i) => sum + i / 100, 0),
      3,
    );
    expect(await metrics.render()).not.toMatch(/shop-1\.example|\/item\//);

    // Another server of the same process has its own registry: none of these counts.
    const other = new TrawlMetrics({ store, processMetrics: false });
    expect(parseMetrics(await other.render()).value("trawl_retries_total")).toBe(0);
    other.close();
  });
});
