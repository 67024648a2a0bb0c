import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore, type NewOccurrence, type NewSchedule, type Store } from "../../src/store/index.ts";

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "trawl-schedules-"));
  store = openSqliteStore(join(dir, "t.db"));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

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

describe("schedule store", () => {
  it("creates schedules with SCH- ids and bumps the version on every change", async () => {
    const v0 = await store.schedules.version();
    const created = await store.schedules.create(schedule, 1000);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^SCH-[0-9A-F]{6}$/),
      status: "active",
      failures: 0,
    });
    expect(await store.schedules.get(created.id.toLowerCase())).toEqual(created);
    const v1 = await store.schedules.version();
    expect(v1).toBeGreaterThan(v0);
    await store.schedules.update(created.id, { status: "paused", pausedReason: "by hand" }, 2000);
    expect(await store.schedules.version()).toBeGreaterThan(v1);
    expect(await store.schedules.remove(created.id)).toBe(true);
    expect(await store.schedules.list()).toEqual([]);
  });

  it("claims an occurrence once, and advances a cursor only from where it was seen", async () => {
    const { id } = await store.schedules.create(schedule, 1000);
    expect(await store.schedules.advance(id, 1000, 5000, [occurrence(id, 5000)], 5000)).toBe(true);
    // A second scheduler that saw the old cursor changes nothing.
    expect(await store.schedules.advance(id, 1000, 5000, [occurrence(id, 5000)], 5001)).toBe(false);
    expect(await store.schedules.claim(occurrence(id, 5000), 5002)).toBe(false);
    expect(await store.schedules.claim({ ...occurrence(id, 5000), attempt: 1, kind: "retry" }, 5003)).toBe(
      true,
    );
    const history = await store.schedules.occurrences({ scheduleId: id });
    expect(history.map((o) => [o.dueAt, o.attempt])).toEqual([
      [5000, 1],
      [5000, 0],
    ]);
    expect((await store.schedules.get(id))?.cursor).toBe(5000);
  });

  it("settles an occurrence and its schedule in one step", async () => {
    const { id } = await store.schedules.create(schedule, 1000);
    await store.schedules.claim(occurrence(id, 2000), 2000);
    await store.schedules.settle(
      { scheduleId: id, dueAt: 2000, attempt: 0 },
      { status: "failed", reason: "boom" },
      3000,
      {
        id,
        patch: { failures: 1 },
      },
    );
    expect((await store.schedules.occurrences({ statuses: ["failed"] }))[0]).toMatchObject({
      reason: "boom",
    });
    expect((await store.schedules.get(id))?.failures).toBe(1);
  });

  it("gives the leader lease to one owner until it expires or is given up", async () => {
    expect(await store.schedules.lead("a", 1000, 10_000)).toBe(true);
    expect(await store.schedules.lead("b", 5000, 10_000)).toBe(false);
    expect(await store.schedules.lead("a", 6000, 10_000)).toBe(true); // renewed to 16000
    expect(await store.schedules.lead("b", 15_999, 10_000)).toBe(false);
    expect(await store.schedules.lead("b", 16_000, 10_000)).toBe(true);
    expect(await store.schedules.leader()).toEqual({ owner: "b", expiresAt: 26_000 });
    await store.schedules.resign("a"); // not the holder: nothing happens
    expect((await store.schedules.leader())?.owner).toBe("b");
    await store.schedules.resign("b");
    expect(await store.schedules.leader()).toBeNull();
  });
});
