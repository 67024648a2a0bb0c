/** The audit store's contract (issue 17), on SQLite and on PostgreSQL. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.ts";
import { AuditLog, readAuditHead } from "../../src/security/index.ts";
import type { AuditEntryRecord, AuditTail } from "../../src/store/audit-types.ts";
import type { Store } from "../../src/store/index.ts";
import { describeStores } from "./backends.ts";

/** An entry after `tail` (the hash is any text here: the security layer computes real ones). */
const next = (tail: AuditTail, at: number, action = "run.started"): AuditEntryRecord => ({
  seq: (tail?.seq ?? 0) + 1,
  at,
  actor: "cli",
  actorName: null,
  action,
  subject: at % 2 === 0 ? `R-${at}` : null,
  details: '{"b":1,"a":2}',
  prevHash: tail?.hash ?? "0".repeat(64),
  hash: `h${(tail?.seq ?? 0) + 1}`,
});

async function appendMany(store: Store, count: number): Promise<AuditEntryRecord[]> {
  const entries: AuditEntryRecord[] = [];
  for (let at = 1; at <= count; at++)
    entries.push(
      await store.audit.append((tail) => next(tail, at * 10, at % 3 === 0 ? "secret.set" : "run.started")),
    );
  return entries;
}

describeStores("audit store", (open) => {
  it("appends entries after the tail and reads them by seq, filter and page", async () => {
    const store = await open();
    expect(await store.audit.list()).toEqual([]);
    expect(await store.audit.count()).toBe(0);
    expect(await store.audit.get(1)).toBeNull();
    const entries = await appendMany(store, 7);
    expect(entries.map((e) => [e.seq, e.prevHash.slice(0, 2)])).toEqual([
      [1, "00"],
      [2, "h1"],
      [3, "h2"],
      [4, "h3"],
      [5, "h4"],
      [6, "h5"],
      [7, "h6"],
    ]);
    expect(await store.audit.get(4)).toEqual(entries[3]);
    expect(await store.audit.list()).toEqual(entries);
    // The newest `limit`, oldest first; before a seq; since an instant; of an action.
    expect((await store.audit.list({ limit: 3 })).map((e) => e.seq)).toEqual([5, 6, 7]);
    expect((await store.audit.list({ beforeSeq: 5, limit: 2 })).map((e) => e.seq)).toEqual([3, 4]);
    expect((await store.audit.list({ since: 50 })).map((e) => e.seq)).toEqual([5, 6, 7]);
    expect((await store.audit.list({ action: "secret.set" })).map((e) => e.seq)).toEqual([3, 6]);
    expect(await store.audit.count({ since: 50, action: "run.started", beforeSeq: 1, limit: 1 })).toBe(2);
    expect(await store.audit.count({ action: "nothing" })).toBe(0);
  });

  it("writes nothing when building the entry throws", async () => {
    const store = await open();
    await expect(
      store.audit.append(() => {
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    expect(await store.audit.count()).toBe(0);
  });

  it("scans every entry by seq in batches", async () => {
    const store = await open();
    const entries = await appendMany(store, 5);
    const batches: number[][] = [];
    for await (const batch of store.audit.scan(2)) batches.push(batch.map((e) => e.seq));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    const whole: AuditEntryRecord[] = [];
    for await (const batch of store.audit.scan()) whole.push(...batch);
    expect(whole).toEqual(entries);
    for await (const batch of store.audit.scan(5)) expect(batch).toHaveLength(5);
  });

  it("keeps the chain unforked when many writers append at once", async () => {
    const store = await open();
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.audit.append((tail) => next(tail, i + 1))));
    const entries = await store.audit.list();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const [i, entry] of entries.entries())
      expect(entry.prevHash).toBe(i === 0 ? "0".repeat(64) : `h${i}`);
  });

  it("runs work at the tail, with any entry's hash", async () => {
    const store = await open();
    expect(await store.audit.atTail((tail, hashOf) => [tail, hashOf(1)])).toEqual([null, null]);
    await appendMany(store, 3);
    const seen = await store.audit.atTail((tail, hashOf) => ({
      tail,
      first: hashOf(1),
      two: hashOf(2),
      none: hashOf(9),
    }));
    expect(seen).toEqual({ tail: { seq: 3, hash: "h3" }, first: "h1", two: "h2", none: null });
    await expect(
      store.audit.atTail(() => {
        throw new Error("work failed");
      }),
    ).rejects.toThrow("work failed");
  });

  it("holds the security layer's chain: appends move the head file, verify finds it intact", async () => {
    const store = await open();
    const dir = mkdtempSync(join(tmpdir(), "trawl-audit-contract-"));
    try {
      const log = new AuditLog(store.audit, join(dir, "audit.head"), new ManualClock(1000));
      for (const subject of ["R-1", "R-2", "R-3"])
        await log.append({ actor: "cli", action: "run.started", subject });
      // Each append's head move looked the head file's entry up through atTail's hashOf.
      expect(readAuditHead(join(dir, "audit.head"))).toMatchObject({ state: "present", head: { seq: 3 } });
      expect(await log.verify()).toMatchObject({ intact: true, entries: 3, headLag: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
