/**
 * What the app remembers: the activity feed and recent errors read from the stored runs and
 * schedule history, and health samples stored by the server (kept 24 hours, across restarts).
 * Real store, real server, real fixture site.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { ManualClock } from "../../src/core/clock.ts";
import type { ActivityItem, RunError } from "../../src/core/contract/activity.ts";
import type { HealthSample } from "../../src/core/contract/health.ts";
import type { TrawlEvent } from "../../src/core/events.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { startServer, type ServerOptions, type TrawlServer } from "../../src/server/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";
import { bearer, request, until } from "./helpers.ts";

const HOUR = 60 * 60 * 1000;

let dir: string;
let home: string;
let site: FaultSite;
const open: { app: App; server: TrawlServer | null }[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-remembered-"));
  home = join(dir, "home");
  site = await startFaultSite({
    routes: {
      "/item": (req, res) => {
        const n = new URL(req.url ?? "/", "http://x").searchParams.get("n");
        res.writeHead(200, { "content-type": "text/html" }).end(`<h1>Item ${n}</h1>`);
      },
    },
  });
});

afterEach(async () => {
  for (const { app, server } of open.splice(0).reverse()) {
    await server?.close();
    await app.close();
  }
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the data directory (as a new process would) and, unless `serve` is false, a server on it. */
async function start(
  options: Partial<ServerOptions> & { clock?: ManualClock; serve?: boolean } = {},
): Promise<{ app: App; server: TrawlServer }> {
  const app = await App.open({ home, ...(options.clock && { clock: options.clock }) });
  const entry: { app: App; server: TrawlServer | null } = { app, server: null };
  open.push(entry);
  if (options.serve === false) return { app, server: null as unknown as TrawlServer };
  entry.server = await startServer({ app, port: 0, uiDir: null, scheduler: false, ...options });
  return { app, server: entry.server };
}

async function stop(server: TrawlServer): Promise<void> {
  const entry = open.find((e) => e.server === server)!;
  await server.close();
  await entry.app.close();
  open.splice(open.indexOf(entry), 1);
}

function scraper(name: string, starts: string[]): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      "targets:",
      ...starts.map((url, i) => `  - { name: t${i}, start: "${url}" }`),
      "pages:",
      "  page:",
      "    record: { title: h1 }",
      "politeness: { robots: ignore, rate_per_host: 1000, retries: 0 }",
      "",
    ].join("\n"),
  );
  return file;
}

/** A port nothing listens on: requests to it are refused. */
async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function samples(server: TrawlServer, query = ""): Promise<HealthSample[]> {
  const response = await request(server.url, "GET", `/api/health/samples${query}`, undefined, bearer(server));
  expect(response.status).toBe(200);
  return response.json.samples as HealthSample[];
}

describe("health samples", () => {
  it("are stored by the server and still there after a restart on the same data directory", async () => {
    const first = (await start({ healthSampleMs: 40 })).server;
    await until(async () => (await samples(first)).length >= 3, "three samples");
    const before = await samples(first);
    const firstProcess = before[0]!.process.id;
    expect(before.every((s) => s.process.id === firstProcess && s.role === "serve")).toBe(true);
    expect(before.map((s) => s.at)).toEqual([...before.map((s) => s.at)].sort((a, b) => a - b));
    const sample = before.at(-1)!;
    expect(sample.process.rss).toBeGreaterThan(0);
    expect(sample.machine.memory.total).toBeGreaterThan(sample.machine.memory.free);
    expect(sample.machine.load).toHaveLength(3);
    expect(sample.runs).toEqual({ active: 0, queued: 0, requestsPerSecond: 0 });
    // Milliseconds since the epoch, within this test's time (the "8/31/29" axis came from mixing units).
    expect(Math.abs(sample.at - Date.now())).toBeLessThan(60_000);
    await stop(first);

    // A new process: the old samples are served, and it samples at once (the lease was given up).
    const second = (await start({ healthSampleMs: 40 })).server;
    const after = await samples(second);
    expect(after.slice(0, before.length)).toEqual(before);
    await until(
      async () => (await samples(second)).some((s) => s.process.id !== firstProcess),
      "a sample of the new process",
    );
    const response = await request(second.url, "GET", "/api/health/samples", undefined, bearer(second));
    expect(response.json).toMatchObject({ intervalMs: 40, retentionMs: 24 * HOUR });
  });

  it("are kept 24 hours and pruned after, by the injected clock", async () => {
    const t0 = Date.parse("2026-03-01T00:00:00Z");
    const clock = new ManualClock(t0);
    // A long interval: only the first sample is taken by the timer; the test takes the others.
    const { server } = await start({ clock, healthSampleMs: HOUR });
    await until(
      async () => (await samples(server, "?from=2026-02-28T00:00:00Z")).length === 1,
      "first sample",
    );
    clock.advance(24 * HOUR - 60_000);
    await server.sampler.sample();
    clock.advance(60_000); // exactly 24 hours after the first: still kept
    await server.sampler.sample();
    const range = "?from=2026-02-28T00:00:00Z&until=2026-03-03T00:00:00Z";
    expect((await samples(server, range)).map((s) => s.at - t0)).toEqual([0, 24 * HOUR - 60_000, 24 * HOUR]);
    clock.advance(1);
    await server.sampler.sample();
    expect((await samples(server, range)).map((s) => s.at - t0)).toEqual([
      24 * HOUR - 60_000,
      24 * HOUR,
      24 * HOUR + 1,
    ]);
    // The default range is the hour before the server's now.
    expect((await samples(server)).map((s) => s.at - t0)).toEqual([
      24 * HOUR - 60_000,
      24 * HOUR,
      24 * HOUR + 1,
    ]);
  });

  it("are announced on the event stream as they are stored", async () => {
    const { server } = await start({ healthSampleMs: 3_600_000 });
    const seen: TrawlEvent[] = [];
    const unsubscribe = server.hub.subscribe(({ event }) => seen.push(event));
    const stored = await server.sampler.sample();
    unsubscribe();
    // The server's own first sample may land in the same millisecond: the last one is this one.
    const event = seen.findLast((e) => e.type === "health.sampled" && e.sample.at === stored!.at);
    expect(event).toBeDefined();
    const listed = (await samples(server)).find((s) => s.at === stored!.at);
    expect(event).toEqual({ type: "health.sampled", sample: listed });
  });

  it("are taken by one server of a data directory at a time", async () => {
    const { server: first } = await start({ healthSampleMs: 3_600_000 });
    const { server: second } = await start({ healthSampleMs: 3_600_000 });
    expect(await second.sampler.sample()).toBeNull();
    expect(await first.sampler.sample()).not.toBeNull();
    await stop(first);
    expect(await second.sampler.sample()).not.toBeNull();
  });

  it("refuse a range that is not one", async () => {
    const { server } = await start({ healthSampleMs: 3_600_000 });
    const bad = await request(
      server.url,
      "GET",
      "/api/health/samples?from=yesterday",
      undefined,
      bearer(server),
    );
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      code: "TRAWL_ERR_HTTP_VALIDATION",
      message: "from: not an ISO 8601 instant: yesterday",
    });
    const backwards = await request(
      server.url,
      "GET",
      "/api/health/samples?from=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z",
      undefined,
      bearer(server),
    );
    expect(backwards.status).toBe(400);
  });
});

describe("the activity feed and recent errors", () => {
  it("list runs of another process, failed runs with their errors, and schedule events", async () => {
    const { app, server } = await start({ healthSampleMs: 3_600_000 });
    // Another process on the same data directory: nothing of it reaches this server's bus.
    const other = (await start({ serve: false })).app;
    const good = await other.engine.run(
      await loadScraper(scraper("shelf", [`${site.url}/item?n=1`, `${site.url}/status/404`])),
    );
    const down = await other.engine.run(
      await loadScraper(scraper("down", [`http://127.0.0.1:${await closedPort()}/`])),
    );
    expect([good.status, down.status]).toEqual(["succeeded", "failed"]);

    const schedule = await app.store.schedules.create(
      {
        scraper: "shelf",
        source: join(dir, "shelf.yaml"),
        timing: { kind: "manual" },
        catchUp: "none",
        graceMs: 0,
        overlap: "skip",
        maxFailures: 3,
        retries: 0,
        jitterMs: 0,
        cursor: 0,
      },
      Date.now(),
    );
    await app.store.schedules.advance(
      schedule.id,
      0,
      1,
      [
        {
          scheduleId: schedule.id,
          dueAt: 1,
          attempt: 0,
          kind: "scheduled",
          status: "skipped",
          reason: "its previous run is still active (overlap skip)",
          startAfter: 1,
          claimedBy: null,
        },
      ],
      Date.now(),
    );
    await app.store.schedules.update(
      schedule.id,
      { status: "paused", pausedReason: "paused after 3 failures in a row" },
      Date.now() + 5,
    );

    const feed = await request(server.url, "GET", "/api/activity", undefined, bearer(server));
    expect(feed.status).toBe(200);
    const items = feed.json.items as ActivityItem[];
    const byId = new Map(items.map((item) => [item.id, item]));
    expect(byId.get(`run.finished:${good.id}`)).toMatchObject({
      kind: "run.finished",
      runId: good.id,
      scraper: "shelf",
      status: "succeeded",
      records: 1,
      message: null,
    });
    expect(byId.get(`run.started:${good.id}`)).toMatchObject({ kind: "run.started", scraper: "shelf" });
    expect(byId.get(`run.finished:${down.id}`)).toMatchObject({ status: "failed", scraper: "down" });
    expect(byId.get(`run.finished:${down.id}`)!.message).toMatch(/refused/);
    expect(byId.get(`schedule.skipped:${schedule.id}:1:0`)).toMatchObject({
      scheduleId: schedule.id,
      scraper: "shelf",
      message: "its previous run is still active (overlap skip)",
    });
    expect(byId.get(`schedule.paused:${schedule.id}`)).toMatchObject({
      status: "paused",
      message: "paused after 3 failures in a row",
    });
    // Newest first.
    const times = items.map((item) => Date.parse(item.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(items[0]!.id).toBe(`schedule.paused:${schedule.id}`);
    expect(feed.json.next).toBeNull();

    // Paged one at a time: every entry once, in the same order.
    const paged: string[] = [];
    let next: string | null = null;
    do {
      const page = await request(
        server.url,
        "GET",
        `/api/activity?limit=1${next ? `&before=${encodeURIComponent(next)}` : ""}`,
        undefined,
        bearer(server),
      );
      paged.push(...(page.json.items as ActivityItem[]).map((item) => item.id));
      next = page.json.next as string | null;
    } while (next);
    expect(paged).toEqual(items.map((item) => item.id));

    const errors = await request(server.url, "GET", "/api/errors", undefined, bearer(server));
    expect(errors.status).toBe(200);
    const listed = errors.json.errors as RunError[];
    expect(listed.map((e) => e.runId)).toEqual([down.id, good.id]);
    expect(listed[0]).toMatchObject({ scraper: "down", status: "failed", failedRequests: 1 });
    expect(listed[0]!.error).toMatch(/refused/);
    expect(listed[0]!.failures).toEqual([
      { reason: "refused", count: 1, example: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) },
    ]);
    expect(listed[1]).toMatchObject({
      status: "succeeded",
      error: null,
      failedRequests: 1,
      failures: [{ reason: "http_404", count: 1, example: `${site.url}/status/404` }],
    });
    const first = await request(server.url, "GET", "/api/errors?limit=1", undefined, bearer(server));
    expect((first.json.errors as RunError[]).map((e) => e.runId)).toEqual([down.id]);
    const second = await request(
      server.url,
      "GET",
      `/api/errors?limit=1&before=${encodeURIComponent(first.json.next)}`,
      undefined,
      bearer(server),
    );
    expect((second.json.errors as RunError[]).map((e) => e.runId)).toEqual([good.id]);
    expect(second.json.next).toBeNull();
  });

  it("refuses a cursor that is not one", async () => {
    const { server } = await start({ healthSampleMs: 3_600_000 });
    const bad = await request(server.url, "GET", "/api/activity?before=yesterday", undefined, bearer(server));
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe("TRAWL_ERR_HTTP_VALIDATION");
  });
});
