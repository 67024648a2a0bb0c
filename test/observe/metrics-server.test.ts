/** GET /metrics of `trawl serve`: Prometheus text that a real parser reads, moving with a real crawl, guarded by the token. */
import { describe, expect, it } from "vitest";
import { request, serve, until } from "../server/helpers.ts";
import { parseMetrics } from "./prometheus-text.ts";

describe("GET /metrics", () => {
  it("moves with a crawl of the fixture site and answers only with the access token", async () => {
    const f = await serve({ hold: true });
    const scrape = async () => {
      const response = await f.api("GET", "/metrics");
      expect(response.status).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
      return parseMetrics(response.json as string);
    };
    const before = await scrape();
    expect(before.value("trawl_requests_total", { status_class: "2xx" })).toBe(0);
    for (const name of [
      "nodejs_eventloop_lag_seconds",
      "process_resident_memory_bytes",
      "nodejs_active_handles_total",
      "trawl_sqlite_commit_seconds",
    ])
      expect(before.has(name), name).toBe(true);

    const id = (await f.api("POST", "/api/runs", { file: f.scraperFile })).json.id as string;
    await until(
      () => f.site.hits("/slow?n=0") + f.site.hits("/slow?n=1") + f.site.hits("/slow?n=2") === 3,
      "3 requests",
    );
    const during = await scrape();
    // The three held requests are leased by a running run; the site's host has a limiter.
    expect(during.value("trawl_queue_requests", { run_state: "running", request_state: "leased" })).toBe(3);
    expect(during.value("trawl_queue_depth")).toBe(3);
    expect(during.value("trawl_runs", { state: "running" })).toBe(1);
    expect(during.samples("trawl_host_rate").map((s) => s.labels?.host)).toEqual([new URL(f.site.url).host]);

    f.release();
    await until(async () => (await f.api("GET", `/api/runs/${id}`)).json.status === "succeeded", "success");
    const after = await scrape();
    expect(after.value("trawl_requests_total", { status_class: "2xx", reason: "none" })).toBe(3);
    expect(after.value("trawl_pages_total", { outcome: "done" })).toBe(3);
    expect(after.value("trawl_records_total")).toBe(3);
    expect(after.value("trawl_response_bytes_total")).toBeGreaterThan(3 * 20);
    expect(after.value("trawl_run_changes_total", { change: "started" })).toBe(1);
    expect(after.value("trawl_run_changes_total", { change: "succeeded" })).toBe(1);
    expect(after.value("trawl_runs", { state: "succeeded" })).toBe(1);
    expect(after.value("trawl_runs", { state: "running" })).toBe(0);
    expect(after.value("trawl_queue_depth")).toBe(0);
    expect(after.value("trawl_sqlite_commit_seconds")).toBeGreaterThan(
      before.value("trawl_sqlite_commit_seconds"),
    );
    // No URL anywhere in a label.
    for (const family of after.families)
      for (const sample of family.metrics) expect(JSON.stringify(sample.labels ?? {})).not.toContain("/slow");

    expect((await request(f.server.url, "GET", "/metrics")).status).toBe(401);
    expect(
      (await request(f.server.url, "GET", "/metrics", undefined, { authorization: "Bearer nope" })).status,
    ).toBe(401);
  });
});
