/** The app lock store's contract (issue 17), on SQLite and on PostgreSQL. */
import { expect, it } from "vitest";
import { describeStores } from "./backends.ts";

describeStores("lock store", (open) => {
  it("keeps the lock's state: PIN, failures, idle minutes, PIN on start", async () => {
    const store = await open();
    const fresh = { pinHash: null, failures: 0, lastFailureAt: null, idleMinutes: null, pinOnStart: false };
    expect(await store.lock.state()).toEqual(fresh);
    await store.lock.setIdleMinutes(15);
    await store.lock.setPinOnStart(true);
    await store.lock.setPin("$argon2id$one");
    expect(await store.lock.claimAttempt(1000, () => true)).toEqual({
      state: { ...fresh, pinHash: "$argon2id$one", idleMinutes: 15, pinOnStart: true },
      admitted: true,
    });
    expect(await store.lock.claimAttempt(2000, () => false)).toMatchObject({
      state: { failures: 1, lastFailureAt: 1000 },
      admitted: false,
    });
    expect(await store.lock.state()).toMatchObject({ failures: 1, lastFailureAt: 1000 });
    await store.lock.rehashPin("$argon2id$stronger");
    expect(await store.lock.state()).toMatchObject({ pinHash: "$argon2id$stronger", failures: 1 });
    await store.lock.resetFailures();
    expect(await store.lock.state()).toMatchObject({ failures: 0, lastFailureAt: null });
    await store.lock.claimAttempt(3000, () => true);
    await store.lock.setPinOnStart(false);
    await store.lock.setIdleMinutes(null);
    // A new PIN (or none) starts the count afresh.
    await store.lock.setPin(null);
    expect(await store.lock.state()).toEqual(fresh);
  });

  it("counts each of many concurrent unlock attempts once, each seeing the last's count", async () => {
    const store = await open();
    const seen = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.lock.claimAttempt(i, (state) => state.failures < 6)),
    );
    expect(seen.filter((s) => s.admitted)).toHaveLength(6);
    expect(seen.map((s) => s.state.failures).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 6, 6, 6]);
    expect((await store.lock.state()).failures).toBe(6);
  });

  it("creates, touches and ends sessions; a new PIN ends them all", async () => {
    const store = await open();
    expect(await store.lock.session("h1")).toBeUndefined();
    await store.lock.createSession({ idHash: "h1", createdAt: 1, lastActiveAt: 1 });
    await store.lock.createSession({ idHash: "h2", createdAt: 2, lastActiveAt: 2 });
    await store.lock.createSession({ idHash: "h3", createdAt: 3, lastActiveAt: 3 });
    await store.lock.touchSession("h1", 10);
    expect(await store.lock.session("h1")).toEqual({ idHash: "h1", createdAt: 1, lastActiveAt: 10 });
    expect(await store.lock.endIdleSessions(3)).toBe(1);
    expect(await store.lock.session("h2")).toBeUndefined();
    expect(await store.lock.endSession("h3")).toBe(true);
    expect(await store.lock.endSession("h3")).toBe(false);
    expect(await store.lock.endIdleSessions(0)).toBe(0);
    await store.lock.rehashPin("$argon2id$x"); // sessions stay
    expect(await store.lock.session("h1")).toBeDefined();
    await store.lock.setPin("$argon2id$new");
    expect(await store.lock.session("h1")).toBeUndefined();
  });

  it("creates named tokens once, finds them by hash, lists, touches and revokes them", async () => {
    const store = await open();
    const token = { name: "ci", tokenHash: "t1", createdAt: 1, lastUsedAt: null };
    expect(await store.lock.createToken(token)).toBe(true);
    expect(await store.lock.createToken({ ...token, tokenHash: "t2" })).toBe(false);
    expect(await store.lock.createToken({ ...token, name: "other" })).toBe(false); // the hash is taken
    expect(
      await store.lock.createToken({ name: "Deploy", tokenHash: "t3", createdAt: 2, lastUsedAt: 5 }),
    ).toBe(true);
    expect(
      await store.lock.createToken({ name: "backup", tokenHash: "t4", createdAt: 3, lastUsedAt: null }),
    ).toBe(true);
    expect(await store.lock.tokenByHash("t1")).toEqual(token);
    expect(await store.lock.tokenByHash("t2")).toBeUndefined();
    await store.lock.touchToken("ci", 99);
    expect((await store.lock.tokens()).map((t) => [t.name, t.lastUsedAt])).toEqual([
      ["Deploy", 5],
      ["backup", null],
      ["ci", 99],
    ]);
    expect(await store.lock.revokeToken("ci")).toBe(true);
    expect(await store.lock.revokeToken("ci")).toBe(false);
    expect(await store.lock.tokenByHash("t1")).toBeUndefined();
  });
});
