/** The activity store's contract (issue 17), on SQLite and on PostgreSQL. */
import { expect, it } from "vitest";
import type { RunRecord, Store } from "../../src/store/index.ts";
import { describeStores } from "./backends.ts";

const newRun = { scraper: "shop", source: null, definitionHash: "h", targets: ["a"], breakpoints: [] };
const steps = [{ name: "crawl", kind: "crawl" as const }];

async function runWith(store: Store, patch: Partial<RunRecord>): Promise<string> {
  const { id } = await store.runs.create({ ...newRun, steps }, 1000);
  await store.runs.update(id, patch);
  return id;
}

/** Fails `urls` of a run, each with its reason. */
async function failRequests(store: Store, runId: string, failures: [string, string][]): Promise<void> {
  await store.queue.enqueue(
    runId,
    failures.map(([url]) => ({ url, pageType: "list", target: "a", depth: 0 })),
    1000,
  );
  const leased = await store.queue.lease(runId, "w", 100, 1000);
  for (const request of leased) {
    const reason = failures.find(([url]) => url === request.url)![1];
    await store.queue.complete(runId, request.id, { ok: false, reason, error: "x" }, [], [], 1000);
  }
}

describeStores("activity store", (open) => {
  it("derives the feed from runs and schedule history, newest first, paged by (at, id)", async () => {
    const store = await open();
    expect(await store.activity.feed()).toEqual([]);
    const failed = await runWith(store, {
      status: "failed",
      startedAt: 2000,
      finishedAt: 5000,
      error: "boom",
      updatedAt: 5000,
    });
    await store.steps.finish(failed, 0, 7, {}, 5000);
    const interrupted = await runWith(store, { status: "interrupted", startedAt: 3000, updatedAt: 4000 });
    const stopped = await runWith(store, {
      status: "paused",
      pauseReason: "by hand",
      startedAt: 3000,
      updatedAt: 6000,
    });
    await runWith(store, { status: "paused", owner: "w1", startedAt: 3000, updatedAt: 6000 }); // still held
    await runWith(store, { status: "queued" }); // never started: nothing
    const schedule = await store.schedules.create(
      {
        scraper: "daily",
        source: "/d.yaml",
        timing: {},
        catchUp: "none",
        graceMs: 0,
        overlap: "skip",
        maxFailures: 3,
        retries: 0,
        jitterMs: 0,
        cursor: 0,
      },
      1000,
    );
    const occurrence = {
      scheduleId: schedule.id,
      attempt: 0,
      kind: "scheduled" as const,
      startAfter: 0,
      claimedBy: "s",
    };
    await store.schedules.advance(
      schedule.id,
      0,
      9000,
      [
        { ...occurrence, dueAt: 7000, status: "waiting", reason: null },
        { ...occurrence, dueAt: 7500, status: "skipped", reason: "overlap" },
        { ...occurrence, dueAt: 8000, status: "waiting", reason: null },
        { ...occurrence, dueAt: 8500, status: "waiting", reason: null }, // still waiting: nothing
      ],
      7000,
    );
    const key = { scheduleId: schedule.id, attempt: 0 };
    await store.schedules.settle(
      { ...key, dueAt: 7000 },
      { status: "running", runId: failed, startedAt: 7100 },
      7100,
    );
    await store.schedules.settle({ ...key, dueAt: 8000 }, { status: "failed", reason: "no file" }, 8000);
    await store.schedules.update(schedule.id, { status: "paused", pausedReason: "3 failures" }, 9000);

    const feed = await store.activity.feed();
    expect(feed.map((e) => [e.at, e.id])).toEqual([
      [9000, `schedule.paused:${schedule.id}`],
      [7100, `schedule.fired:${schedule.id}:7000:0`],
      [7000, `schedule.skipped:${schedule.id}:7500:0`],
      [7000, `schedule.failed:${schedule.id}:8000:0`],
      [6000, `run.stopped:${stopped}`],
      [5000, `run.finished:${failed}`],
      [4000, `run.interrupted:${interrupted}`],
      ...[...feed.filter((e) => e.kind === "run.started")].map((e) => [e.at, e.id]),
    ]);
    // Started runs at one instant (3000): by id, newest first.
    const started = feed.filter((e) => e.at === 3000).map((e) => e.id);
    expect(started).toHaveLength(3);
    expect(started).toEqual([...started].sort().reverse());
    expect(feed.at(-1)).toMatchObject({ id: `run.started:${failed}`, at: 2000 });
    expect(feed.find((e) => e.kind === "run.finished")).toEqual({
      id: `run.finished:${failed}`,
      at: 5000,
      kind: "run.finished",
      runId: failed,
      scheduleId: null,
      scraper: "shop",
      status: "failed",
      records: 7,
      message: "boom",
    });
    expect(feed.find((e) => e.kind === "run.stopped")).toMatchObject({ message: "by hand", records: null });
    expect(feed[1]).toEqual({
      id: `schedule.fired:${schedule.id}:7000:0`,
      at: 7100,
      kind: "schedule.fired",
      runId: failed,
      scheduleId: schedule.id,
      scraper: "daily",
      status: "running",
      records: null,
      message: null,
    });
    expect(feed[0]).toMatchObject({ status: "paused", message: "3 failures", runId: null });
    // Pages: strictly older than the last entry of the one before, ties broken by id.
    const first = await store.activity.feed({ limit: 3 });
    expect(first).toEqual(feed.slice(0, 3));
    const second = await store.activity.feed({ limit: 5, before: { at: first[2]!.at, id: first[2]!.id } });
    expect(second).toEqual(feed.slice(3, 8));
    const last = feed.at(-1)!;
    expect(await store.activity.feed({ before: { at: last.at, id: last.id } })).toEqual([]);
  });

  it("lists runs that failed or have failed requests, with their failures by reason", async () => {
    const store = await open();
    expect(await store.activity.errors()).toEqual([]);
    const failed = await runWith(store, { status: "failed", finishedAt: 5000, error: "boom" });
    const partly = await runWith(store, { status: "succeeded", finishedAt: 6000 });
    await failRequests(store, partly, [
      ["https://b.test/2", "http_404"],
      ["https://b.test/1", "http_404"],
      ["https://a.test/Z", "timeout"],
      ["https://a.test/a", "timeout"],
      ["https://c.test/", "dns"],
    ]);
    const running = await runWith(store, { status: "running", updatedAt: 6000 });
    await failRequests(store, running, [["https://x.test/", "timeout"]]);
    await runWith(store, { status: "succeeded", finishedAt: 7000 }); // no failure: not listed
    const errors = await store.activity.errors();
    const sameInstant = [partly, running].sort().reverse();
    expect(errors.map((e) => [e.at, e.runId])).toEqual([
      [6000, sameInstant[0]],
      [6000, sameInstant[1]],
      [5000, failed],
    ]);
    expect(errors.find((e) => e.runId === failed)).toEqual({
      runId: failed,
      scraper: "shop",
      status: "failed",
      at: 5000,
      error: "boom",
      failedRequests: 0,
      failures: [],
    });
    expect(errors.find((e) => e.runId === partly)).toMatchObject({
      failedRequests: 5,
      failures: [
        { reason: "http_404", count: 2, example: "https://b.test/1" },
        { reason: "timeout", count: 2, example: "https://a.test/Z" },
        { reason: "dns", count: 1, example: "https://c.test/" },
      ],
    });
    expect(await store.activity.errors({ limit: 1, before: { at: 6000, id: sameInstant[0]! } })).toEqual([
      errors[1],
    ]);
    expect(await store.activity.errors({ before: { at: 5000, id: failed } })).toEqual([]);
  });
});
