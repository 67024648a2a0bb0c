/** `trawl scheduler --metrics-port`: the daemon's own /metrics, with the access token, moving as schedules fire. */
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";
import { makeWorkDir, parseJson, runCli, startCli } from "../cli/run-cli.ts";
import { parseMetrics } from "./prometheus-text.ts";

let site: FaultSite | undefined;
afterAll(async () => site?.close());

describe("trawl scheduler --metrics-port", () => {
  it("serves the daemon's metrics to the access token only, counting fires and the runs' requests", async () => {
    site = await startFaultSite();
    const { dir, home } = await makeWorkDir();
    const scraper = join(dir, "tiny.yaml");
    await writeFile(
      scraper,
      `name: tiny\ntargets: [{ name: one, start: "${site.url}/ok" }]\npages:\n  page:\n    record: { text: p }\npoliteness: { robots: ignore }\n`,
    );
    parseJson(await runCli(["schedule", "add", scraper, "--cron", "*/2 * * * * *", "--json"], { home }));

    const daemon = startCli(["scheduler", "--metrics-port", "0"], { home, timeoutMs: 60_000 });
    const [, url] = await daemon.waitForStderr(/metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/);
    const token = readFileSync(join(home, "access-token"), "utf8").trim();
    const scrape = async () => {
      const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      return parseMetrics(await response.text());
    };
    let metrics = await scrape();
    expect(metrics.has("nodejs_eventloop_lag_seconds")).toBe(true);
    for (let i = 0; i < 150 && metrics.value("trawl_runs", { state: "succeeded" }) < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      metrics = await scrape();
    }
    expect(metrics.value("trawl_scheduler_fires_total")).toBeGreaterThanOrEqual(1);
    expect(metrics.value("trawl_scheduler_lateness_seconds")).toBeGreaterThanOrEqual(1);
    expect(
      metrics.value("trawl_requests_total", { status_class: "2xx", reason: "none" }),
    ).toBeGreaterThanOrEqual(1);
    expect(metrics.value("trawl_run_changes_total", { change: "succeeded" })).toBeGreaterThanOrEqual(1);

    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${url}/metrics`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: "TRAWL_ERR_HTTP_UNAUTHORIZED" });
    expect((await fetch(`${url}/`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);

    daemon.child.kill("SIGTERM");
    expect((await daemon.result).code).toBe(0);
  });
});
