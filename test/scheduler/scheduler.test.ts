import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MINUTE, T0, world } from "./helpers.ts";

const HOUR = 60 * MINUTE;

describe("missed occurrences", () => {
  it("after 2.5 hours down, catch-up none runs nothing and records every miss", async () => {
    const w = await world();
    const schedule = await w.schedule({ cron: "*/10 * * * *" }, { catchUp: "none" });
    const scheduler = w.scheduler();
    await scheduler.tick();
    w.clock.advance(2.5 * HOUR + 5 * MINUTE);
    await scheduler.tick();
    await scheduler.settled();
    const history = await w.app.store.schedules.occurrences({ scheduleId: schedule.id });
    expect(history).toHaveLength(15);
    expect(history.every((o) => o.status === "skipped" && /catch-up none/.test(o.reason ?? ""))).toBe(true);
    expect(await w.app.store.runs.list()).toHaveLength(0);
  });

  it("after 2.5 hours down, catch-up latest runs exactly once for the newest occurrence", async () => {
    const w = await world();
    const schedule = await w.schedule({ cron: "*/10 * * * *" }, { catchUp: "latest" });
    const scheduler = w.scheduler();
    w.clock.advance(2.5 * HOUR + 5 * MINUTE);
    await scheduler.tick();
    await scheduler.settled();
    const history = await w.app.store.schedules.occurrences({ scheduleId: schedule.id });
    const fired = history.filter((o) => o.status !== "skipped");
    expect(fired).toEqual([
      expect.objectContaining({ dueAt: T0 + 2.5 * HOUR, status: "succeeded", runId: expect.any(String) }),
    ]);
    expect(history.filter((o) => o.status === "skipped")).toHaveLength(14);
    expect(history.find((o) => o.status === "skipped")?.reason).toMatch(
      /coalesced into the run for 2026-06-01T14:30/,
    );
    const runs = await w.app.store.runs.list();
    expect(runs.map((r) => r.status)).toEqual(["succeeded"]);
  });

  it("catch-up latest skips the newest too when it was missed by more than the grace period", async () => {
    const w = await world();
    await w.schedule({ daily: "06:00" }, { catchUp: "latest", grace: "1h" });
    const scheduler = w.scheduler();
    w.clock.advance(20 * HOUR); // 08:00 the next day: 06:00 was two hours ago
    await scheduler.tick();
    const [missed] = await w.app.store.schedules.occurrences();
    expect(missed).toMatchObject({
      status: "skipped",
      reason: expect.stringMatching(/missed by 2h, more than the grace period of 1h/),
    });
  });
});

describe("overlap", () => {
  it("skip never runs two of one schedule at once", async () => {
    const w = await world({ hold: true });
    const schedule = await w.schedule({ every: "1m" }, { overlap: "skip" });
    const scheduler = w.scheduler();
    w.clock.advance(MINUTE);
    await scheduler.tick();
    await until(async () => w.site.hits("/slow") === 1);
    w.clock.advance(MINUTE);
    await scheduler.tick();
    w.clock.advance(MINUTE);
    await scheduler.tick();
    expect(scheduler.activeRuns).toBe(1);
    w.release();
    await scheduler.settled();
    w.clock.advance(MINUTE);
    await scheduler.tick();
    await scheduler.settled();
    const history = (await w.app.store.schedules.occurrences({ scheduleId: schedule.id })).reverse();
    expect(history.map((o) => o.status)).toEqual(["succeeded", "skipped", "skipped", "succeeded"]);
    expect(history[1]?.reason).toMatch(/previous run RUN-\S+ is still active \(overlap skip\)/);
  });

  it("queue starts a held occurrence when the previous run ends", async () => {
    const w = await world({ hold: true });
    const schedule = await w.schedule({ every: "1m" }, { overlap: "queue" });
    const scheduler = w.scheduler();
    w.clock.advance(MINUTE);
    await scheduler.tick();
    await until(async () => w.site.hits("/slow") === 1);
    w.clock.advance(MINUTE);
    await scheduler.tick();
    w.clock.advance(MINUTE);
    await scheduler.tick();
    w.release();
    await scheduler.settled();
    await scheduler.tick();
    await scheduler.settled();
    const history = (await w.app.store.schedules.occurrences({ scheduleId: schedule.id })).reverse();
    expect(history.map((o) => o.status)).toEqual(["succeeded", "succeeded", "skipped"]);
    expect(history[2]?.reason).toMatch(/already queued/);
  });
});

describe("failures", () => {
  it("pauses a schedule after max-failures in a row, with the reason", async () => {
    const w = await world();
    const schedule = await w.schedule({ every: "1m" }, { maxFailures: "3" });
    writeFileSync(w.scraperFile, "name: tiny\ntargets: [oops\n"); // the definition broke after scheduling
    const scheduler = w.scheduler();
    for (let i = 0; i < 4; i++) {
      w.clock.advance(MINUTE);
      await scheduler.tick();
      await scheduler.settled();
    }
    const paused = await w.app.store.schedules.get(schedule.id);
    expect(paused).toMatchObject({ status: "paused", failures: 3 });
    expect(paused?.pausedReason).toMatch(/paused after 3 failures in a row; last: .*tiny\.yaml/);
    const history = await w.app.store.schedules.occurrences({ scheduleId: schedule.id });
    expect(history.map((o) => o.status)).toEqual(["failed", "failed", "failed"]);
  });

  it("retries a failed occurrence with backoff, and a success resets the count", async () => {
    const w = await world();
    const schedule = await w.schedule({ daily: "13:00" }, { retries: "2" });
    const good =
      "name: tiny\n" +
      (await import("node:fs")).readFileSync(w.scraperFile, "utf8").split("\n").slice(1).join("\n");
    writeFileSync(w.scraperFile, "name: tiny\ntargets: [oops\n");
    const scheduler = w.scheduler();
    w.clock.advance(HOUR);
    await scheduler.tick();
    await scheduler.settled();
    expect((await w.app.store.schedules.get(schedule.id))?.failures).toBe(1);
    w.clock.advance(MINUTE - 1);
    await scheduler.tick(); // the retry waits a full minute
    expect(await w.app.store.schedules.occurrences({ statuses: ["waiting"] })).toHaveLength(1);
    writeFileSync(w.scraperFile, good);
    w.clock.advance(1);
    await scheduler.tick();
    await scheduler.settled();
    const history = await w.app.store.schedules.occurrences({ scheduleId: schedule.id });
    expect(history.map((o) => [o.attempt, o.kind, o.status])).toEqual([
      [1, "retry", "succeeded"],
      [0, "scheduled", "failed"],
    ]);
    expect((await w.app.store.schedules.get(schedule.id))?.failures).toBe(0);
  });
});

describe("leadership", () => {
  it("lets only the leader fire, and another take over when the leader stops renewing", async () => {
    const w = await world();
    const schedule = await w.schedule({ every: "1m" });
    const a = w.scheduler("host:1:a");
    const b = w.scheduler("host:2:b");
    for (let i = 0; i < 5; i++) {
      w.clock.advance(MINUTE);
      await a.tick();
      await b.tick();
      await a.settled();
    }
    expect(a.isLeader).toBe(true);
    expect(b.isLeader).toBe(false);
    // A follower checks again when the lease runs out, not a whole heartbeat (3 s) after it.
    w.clock.advance(8_000);
    expect(await b.tick()).toBe(w.clock.now() + 2_000);
    // a dies: b takes over once the lease (10 s) has run out.
    w.clock.advance(MINUTE);
    await b.tick();
    expect(b.isLeader).toBe(true);
    await b.settled();
    const history = await w.app.store.schedules.occurrences({ scheduleId: schedule.id });
    expect(history.map((o) => o.dueAt)).toEqual([6, 5, 4, 3, 2, 1].map((n) => T0 + n * MINUTE));
    expect(history.map((o) => o.claimedBy)).toEqual(["host:2:b", ...Array(5).fill("host:1:a")]);
    expect(history.every((o) => o.status === "succeeded")).toBe(true);
  });
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("condition not met in 5 s");
}

describe("the loop", () => {
  it("sleeps until the next occurrence and wakes when a schedule is added", async () => {
    const w = await world();
    const scheduler = w.scheduler();
    const stop = new AbortController();
    const loop = scheduler.run(stop.signal);
    await until(async () => (await w.app.store.schedules.processes()).length === 1);
    // Added behind the loop's back, as another process would: due 1.5 s from now.
    await w.schedule({ at: new Date(T0 + 1500).toISOString() });
    w.clock.advance(1000); // the loop's change check: it plans, and sleeps until the occurrence
    await until(async () => (await w.app.store.schedules.processes())[0]?.nextDueAt === T0 + 1500);
    expect(await w.app.store.schedules.occurrences()).toHaveLength(0);
    w.clock.advance(500);
    await until(
      async () => (await w.app.store.schedules.occurrences({ statuses: ["succeeded"] })).length === 1,
    );
    const [fired] = await w.app.store.schedules.occurrences();
    expect(fired).toMatchObject({ dueAt: T0 + 1500, startedAt: T0 + 1500 });
    stop.abort();
    await loop;
    expect(await w.app.store.schedules.processes()).toEqual([]);
    expect(await w.app.store.schedules.leader()).toBeNull();
  });
});

describe("limits and shutdown", () => {
  it("caps scheduled runs running at once; a held occurrence starts when a slot frees", async () => {
    const w = await world({ hold: true });
    const first = await w.schedule({ every: "1m" });
    const second = await w.schedule({ every: "1m" });
    const scheduler = w.app.scheduler({
      clock: w.clock,
      owner: "h:1:a",
      maxConcurrent: 1,
      log: () => undefined,
    });
    w.clock.advance(MINUTE);
    await scheduler.tick();
    expect(scheduler.activeRuns).toBe(1);
    const waiting = await w.app.store.schedules.occurrences({ statuses: ["waiting"] });
    const running = await w.app.store.schedules.occurrences({ statuses: ["running"] });
    expect([...waiting, ...running].map((o) => o.scheduleId).sort()).toEqual([first.id, second.id].sort());
    expect(waiting).toHaveLength(1);
    w.release();
    await scheduler.settled();
    await scheduler.tick();
    await scheduler.settled();
    const done = await w.app.store.schedules.occurrences({ statuses: ["succeeded"] });
    expect(done.map((o) => o.scheduleId).sort()).toEqual([first.id, second.id].sort());
  });

  it("delays a start by the jitter, drawn per occurrence", async () => {
    const w = await world();
    await w.schedule({ every: "1h" }, { jitter: "10m" });
    const scheduler = w.app.scheduler({
      clock: w.clock,
      owner: "h:1:a",
      random: () => 0.25,
      log: () => undefined,
    });
    w.clock.advance(60 * MINUTE);
    await scheduler.tick();
    const [occurrence] = await w.app.store.schedules.occurrences();
    expect(occurrence).toMatchObject({ status: "waiting", startAfter: T0 + 60 * MINUTE + 2.5 * MINUTE });
    w.clock.advance(2.5 * MINUTE);
    await scheduler.tick();
    await scheduler.settled();
    expect((await w.app.store.schedules.occurrences())[0]?.status).toBe("succeeded");
  });

  it("stops its runs gracefully when it stops: they stay resumable", async () => {
    const w = await world({ hold: true });
    await w.schedule({ every: "1m" });
    const scheduler = w.scheduler();
    const stop = new AbortController();
    const loop = scheduler.run(stop.signal);
    await until(async () => (await w.app.store.schedules.processes()).length === 1);
    w.clock.advance(MINUTE);
    await until(async () => w.site.hits("/slow") === 1);
    stop.abort();
    w.clock.advance(1000); // ends the loop's sleep
    setTimeout(() => w.release(), 200); // the in-flight request finishes; no new one starts
    await loop;
    const [occurrence] = await w.app.store.schedules.occurrences();
    expect(occurrence).toMatchObject({ status: "stopped" });
    const run = await w.app.store.runs.get(occurrence!.runId!);
    expect(run?.status).toBe("paused");
    expect(run?.owner).toBeNull();
  });
});
