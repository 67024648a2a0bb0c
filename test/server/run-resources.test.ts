/**
 * A run's resources (issue 16, item 3): the server's health samples carry the event loop's lag,
 * and `GET /api/runs/:id/resources` gives the samples over a run's time range with the run's own
 * progress (pages/s). Real server, real store, real fixture site; a run held mid-crawl.
 */
import { describe, expect, it } from "vitest";
import type { RunResources } from "../../src/core/contract/resources.ts";
import { serve, until } from "./helpers.ts";

/** Blocks this thread (the server's: it runs in the test's process) for `ms`. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: the event loop cannot turn
  }
}

describe("a run's resources", () => {
  it("samples the event-loop lag and the run's pages/s over the run's time range", async () => {
    const f = await serve({ hold: true, healthSampleMs: 100 });
    const id = (await f.api("POST", "/api/runs", { file: f.scraperFile })).json.id as string;
    const resources = async () => (await f.api("GET", `/api/runs/${id}/resources`)).json as RunResources;
    // Held: the run is running with no page done, sampled with it.
    await until(async () => (await resources()).progress.length >= 2, "progress samples while held");
    // Block the loop, let the sampler take a sample or two, look; again (up to 20 times) if a busy
    // machine kept the sample that saw it from being stored yet.
    const lagged = async () =>
      (await resources()).samples.some((s) => (s.process.eventLoopLagMs?.max ?? 0) >= 150);
    let seen = false;
    for (let attempt = 0; attempt < 20 && !seen; attempt++) {
      block(250);
      await new Promise((resolve) => setTimeout(resolve, 300));
      seen = await lagged();
    }
    expect(seen, "a sample with the blocked event loop's lag").toBe(true);
    f.release();
    await until(
      async () => (await f.api("GET", `/api/runs/${id}`)).json.status === "succeeded",
      "the run ends",
    );
    const run = (await f.api("GET", `/api/runs/${id}`)).json;
    // The sample taken at the instant the run ended (a running sample may already count its three
    // pages: waiting for those alone raced the next sample on a busy machine).
    await until(
      async () => (await resources()).progress.at(-1)?.at === Date.parse(run.finishedAt),
      "the run's last progress, at its end",
    );

    const body = await resources();
    expect(body.runId).toBe(id);
    expect(body.intervalMs).toBe(100);
    // The range is the run's, one interval (at least a second) either side.
    expect(body.until).toBe(Date.parse(run.finishedAt) + 1000 + 1);
    expect(body.samples.length).toBeGreaterThanOrEqual(3);
    for (const s of body.samples) expect(s.at >= body.from && s.at < body.until).toBe(true);
    const lags = body.samples.flatMap((s) => (s.process.eventLoopLagMs ? [s.process.eventLoopLagMs] : []));
    expect(lags.length).toBeGreaterThanOrEqual(2);
    for (const lag of lags) expect(lag.max).toBeGreaterThanOrEqual(lag.p99);
    // The run's pace: nothing while held, then its three pages by its end (sampled when it ended).
    const { progress } = body;
    expect(progress[0]!.pagesPerSecond).toBeNull();
    expect(progress[0]!.pages).toBe(0);
    expect(progress.at(-1)!.at).toBe(Date.parse(run.finishedAt));
    expect(progress.at(-1)!.requests).toBe(3);
    expect(progress.some((p) => (p.pagesPerSecond ?? 0) > 0)).toBe(true);
    expect(progress.map((p) => p.at)).toEqual([...progress.map((p) => p.at)].sort((a, b) => a - b));
  });

  it("answers 404 for an unknown run", async () => {
    const f = await serve();
    const res = await f.api("GET", "/api/runs/RUN-20260101-000000/resources");
    expect(res.status).toBe(404);
    expect(res.json.code).toBe("TRAWL_ERR_ENGINE_RUN_NOT_FOUND");
  });
});
