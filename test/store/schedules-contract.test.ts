/**
 * The schedule store's contract (issue 17), on SQLite and on PostgreSQL: schedules, their
 * occurrences, the scheduler processes and the leader lease, with the races several schedulers
 * on one database run (on PostgreSQL, concurrent calls go out on the pool's separate sessions).
 */
import { expect, it } from "vitest";
import type { NewOccurrence, NewSchedule } from "../../src/store/index.ts";
import type { SchedulerProcess } from "../../src/store/schedule-types.ts";
import { describeStores } from "./backends.ts";

const schedule: NewSchedule = {
  scraper: "shop",
  source: "/defs/shop.yaml",
  timing: { rhythm: { kind: "daily", minute: 390 }, zone: "UTC", activeHours: null, days: null },
  catchUp: "none",
  graceMs: 3_600_000,
  overlap: "skip",
  maxFailures: 5,
  retries: 0,
  jitterMs: 0,
  cursor: 1000,
};

const occurrence = (scheduleId: string, dueAt: number): NewOccurrence => ({
  scheduleId,
  dueAt,
  attempt: 0,
  kind: "scheduled",
  status: "waiting",
  reason: null,
  startAfter: dueAt,
  claimedBy: "a",
});

const schedulerProcess = (owner: string, heartbeatAt: number): SchedulerProcess => ({
  owner,
  pid: 42,
  host: "h1",
  startedAt: 100,
  heartbeatAt,
  checkedAt: null,
  schedulesChecked: 0,
  runsStarted: 0,
  nextDueAt: null,
});

describeStores("schedule store", (open) => {
  it("creates schedules with SCH- ids and bumps the version on every change", async () => {
    const store = await open();
    const v0 = await store.schedules.version();
    expect(v0).toBe(0);
    const created = await store.schedules.create(schedule, 1000);
    expect(created).toEqual({
      ...schedule,
      id: expect.stringMatching(/^SCH-[0-9A-F]{6}$/),
      status: "active",
      pausedReason: null,
      failures: 0,
      createdAt: 1000,
      updatedAt: 1000,
    });
    // The timing's JSON keeps its field order.
    expect(Object.keys(created.timing as object)).toEqual(["rhythm", "zone", "activeHours", "days"]);
    expect(await store.schedules.get(created.id.toLowerCase())).toEqual(created);
    const v1 = await store.schedules.version();
    expect(v1).toBeGreaterThan(v0);
    expect(
      await store.schedules.update(
        created.id,
        { status: "paused", pausedReason: "by hand", graceMs: undefined },
        2000,
      ),
    ).toBe(true);
    expect(await store.schedules.get(created.id)).toMatchObject({
      status: "paused",
      pausedReason: "by hand",
      graceMs: 3_600_000,
      updatedAt: 2000,
    });
    const v2 = await store.schedules.version();
    expect(v2).toBeGreaterThan(v1);
    await store.schedules.update(created.id, { timing: { every: 5 } }, 2500);
    expect((await store.schedules.get(created.id))?.timing).toEqual({ every: 5 });
    expect(await store.schedules.remove(created.id.toLowerCase())).toBe(true);
    expect(await store.schedules.version()).toBeGreaterThan(v2);
    expect(await store.schedules.list()).toEqual([]);
  });

  it("answers unknown schedules without changing the version", async () => {
    const store = await open();
    expect(await store.schedules.get("SCH-000000")).toBeNull();
    expect(await store.schedules.update("SCH-000000", { failures: 1 }, 1)).toBe(false);
    expect(await store.schedules.remove("SCH-000000")).toBe(false);
    expect(await store.schedules.advance("SCH-000000", 0, 1, [], 1)).toBe(false);
    expect(await store.schedules.version()).toBe(0);
    expect(await store.schedules.occurrences()).toEqual([]);
    await expect(store.schedules.claim(occurrence("SCH-000000", 1), 1)).rejects.toThrow();
  });

  it("lists schedules oldest first, then by id", async () => {
    const store = await open();
    const late = await store.schedules.create({ ...schedule, scraper: "late" }, 3000);
    const early = await Promise.all([1, 2, 3].map(() => store.schedules.create(schedule, 1000)));
    const ids = early.map((s) => s.id).sort((a, b) => (a < b ? -1 : 1));
    expect((await store.schedules.list()).map((s) => s.id)).toEqual([...ids, late.id]);
  });

  it("claims an occurrence once, and advances a cursor only from where it was seen", async () => {
    const store = await open();
    const { id } = await store.schedules.create(schedule, 1000);
    expect(await store.schedules.advance(id, 1000, 5000, [occurrence(id, 5000)], 5000)).toBe(true);
    // A second scheduler that saw the old cursor changes nothing.
    expect(await store.schedules.advance(id, 1000, 5000, [occurrence(id, 5000)], 5001)).toBe(false);
    const version = await store.schedules.version();
    expect(await store.schedules.claim(occurrence(id, 5000), 5002)).toBe(false);
    expect(await store.schedules.version()).toBe(version);
    expect(await store.schedules.claim({ ...occurrence(id, 5000), attempt: 1, kind: "retry" }, 5003)).toBe(
      true,
    );
    expect(await store.schedules.version()).toBeGreaterThan(version);
    const history = await store.schedules.occurrences({ scheduleId: id });
    expect(history.map((o) => [o.dueAt, o.attempt])).toEqual([
      [5000, 1],
      [5000, 0],
    ]);
    expect(history[1]).toEqual({
      ...occurrence(id, 5000),
      runId: null,
      createdAt: 5000,
      startedAt: null,
      finishedAt: null,
    });
    expect((await store.schedules.get(id))?.cursor).toBe(5000);
  });

  it("advances no paused schedule", async () => {
    const store = await open();
    const { id } = await store.schedules.create(schedule, 1000);
    await store.schedules.update(id, { status: "paused" }, 1500);
    expect(await store.schedules.advance(id, 1000, 5000, [occurrence(id, 5000)], 5000)).toBe(false);
    expect(await store.schedules.occurrences()).toEqual([]);
  });

  it("lets one of several racing schedulers advance a cursor or claim an occurrence", async () => {
    const store = await open();
    const { id } = await store.schedules.create(schedule, 1000);
    const advanced = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.schedules.advance(id, 1000, 2000, [{ ...occurrence(id, 2000), claimedBy: `s${i}` }], 2000),
      ),
    );
    expect(advanced.filter(Boolean)).toHaveLength(1);
    const claimed = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.schedules.claim({ ...occurrence(id, 3000), kind: "manual", claimedBy: `s${i}` }, 3000),
      ),
    );
    expect(claimed.filter(Boolean)).toHaveLength(1);
    expect(await store.schedules.occurrences({ scheduleId: id })).toHaveLength(2);
  });

  it("settles an occurrence and its schedule in one step", async () => {
    const store = await open();
    const { id } = await store.schedules.create(schedule, 1000);
    await store.schedules.claim(occurrence(id, 2000), 2000);
    await store.schedules.settle(
      { scheduleId: id, dueAt: 2000, attempt: 0 },
      { status: "running", runId: "R-1", startedAt: 2100 },
      2100,
    );
    const version = await store.schedules.version();
    await store.schedules.settle(
      { scheduleId: id, dueAt: 2000, attempt: 0 },
      { status: "failed", reason: "boom", finishedAt: 2900 },
      3000,
      { id, patch: { failures: 1 } },
    );
    expect((await store.schedules.occurrences({ statuses: ["failed"] }))[0]).toMatchObject({
      status: "failed",
      reason: "boom",
      runId: "R-1",
      startedAt: 2100,
      finishedAt: 2900,
    });
    expect(await store.schedules.get(id)).toMatchObject({ failures: 1, updatedAt: 3000 });
    expect(await store.schedules.version()).toBeGreaterThan(version);
    // Only the schedule changes when the occurrence's patch is empty.
    await store.schedules.settle({ scheduleId: id, dueAt: 2000, attempt: 0 }, {}, 4000, {
      id,
      patch: { failures: 0 },
    });
    expect((await store.schedules.get(id))?.failures).toBe(0);
  });

  it("lists history newest first, of one schedule, in some statuses, at most a limit", async () => {
    const store = await open();
    const a = await store.schedules.create(schedule, 1000);
    const b = await store.schedules.create(schedule, 1000);
    await store.schedules.advance(
      a.id,
      1000,
      4000,
      [occurrence(a.id, 2000), { ...occurrence(a.id, 3000), status: "skipped", reason: "overlap" }],
      4000,
    );
    await store.schedules.claim(occurrence(b.id, 2500), 4000);
    const all = await store.schedules.occurrences();
    expect(all.map((o) => [o.scheduleId, o.dueAt])).toEqual([
      [a.id, 3000],
      [b.id, 2500],
      [a.id, 2000],
    ]);
    expect(
      (await store.schedules.occurrences({ scheduleId: a.id.toLowerCase() })).map((o) => o.dueAt),
    ).toEqual([3000, 2000]);
    expect((await store.schedules.occurrences({ statuses: ["skipped"] })).map((o) => o.reason)).toEqual([
      "overlap",
    ]);
    expect(await store.schedules.occurrences({ statuses: ["waiting", "skipped"], limit: 2 })).toEqual(
      all.slice(0, 2),
    );
    expect(await store.schedules.occurrences({ scheduleId: b.id, statuses: ["skipped"] })).toEqual([]);
    // A removed schedule takes its history with it.
    await store.schedules.remove(a.id);
    expect((await store.schedules.occurrences()).map((o) => o.scheduleId)).toEqual([b.id]);
  });

  it("registers, refreshes and forgets scheduler processes, most recently alive first", async () => {
    const store = await open();
    await store.schedules.beat(schedulerProcess("a", 1000));
    await store.schedules.beat(schedulerProcess("b", 2000));
    const refreshed = {
      ...schedulerProcess("a", 3000),
      checkedAt: 3000,
      schedulesChecked: 4,
      runsStarted: 2,
      nextDueAt: 9000,
    };
    // A beat refreshes the status; who the process is stays as it first registered.
    await store.schedules.beat({ ...refreshed, pid: 7, host: "h2", startedAt: 999 });
    expect(await store.schedules.processes()).toEqual([refreshed, schedulerProcess("b", 2000)]);
    await store.schedules.unregister("a");
    await store.schedules.unregister("nobody");
    expect((await store.schedules.processes()).map((p) => p.owner)).toEqual(["b"]);
  });

  it("gives the leader lease to one owner until it expires or is given up", async () => {
    const store = await open();
    expect(await store.schedules.leader()).toBeNull();
    expect(await store.schedules.lead("a", 1000, 10_000)).toBe(true);
    expect(await store.schedules.lead("b", 5000, 10_000)).toBe(false);
    expect(await store.schedules.lead("a", 6000, 10_000)).toBe(true); // renewed to 16000
    expect(await store.schedules.lead("b", 15_999, 10_000)).toBe(false);
    expect(await store.schedules.leader()).toEqual({ owner: "a", expiresAt: 16_000 });
    expect(await store.schedules.lead("b", 16_000, 10_000)).toBe(true);
    expect(await store.schedules.leader()).toEqual({ owner: "b", expiresAt: 26_000 });
    await store.schedules.resign("a"); // not the holder: nothing happens
    expect((await store.schedules.leader())?.owner).toBe("b");
    await store.schedules.resign("b");
    expect(await store.schedules.leader()).toBeNull();
    expect(await store.schedules.lead("a", 17_000, 10_000)).toBe(true);
  });

  it("gives the lease to one of many schedulers racing for it, free or expired", async () => {
    const store = await open();
    const race = (now: number) =>
      Promise.all(Array.from({ length: 12 }, (_, i) => store.schedules.lead(`s${i}`, now, 10_000)));
    for (const now of [1000, 11_000, 21_000]) {
      const won = await race(now);
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(await store.schedules.leader()).toEqual({
        owner: `s${won.indexOf(true)}`,
        expiresAt: now + 10_000,
      });
    }
  });
});
