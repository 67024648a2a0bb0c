/**
 * Scheduled runs open the secrets vault unattended: the master key comes from the key file the
 * vault made on first use, so a schedule firing with nobody at the machine reads its secrets.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MINUTE, world } from "../scheduler/helpers.ts";

describe("a scheduled run", () => {
  it("reads {{ secret.NAME }} with nobody there, and fails before its run when the secret is gone", async () => {
    const w = await world();
    await w.app.secrets.set("SHOP_TOKEN", "sched-canary-N4x8");
    const definition = readFileSync(w.scraperFile, "utf8").replace(
      "politeness:",
      'headers: { Authorization: "Bearer {{ secret.SHOP_TOKEN }}" }\npoliteness:',
    );
    writeFileSync(w.scraperFile, definition);
    const schedule = await w.schedule({ every: "1m" });
    const scheduler = w.scheduler();
    w.clock.advance(MINUTE);
    await scheduler.tick();
    await scheduler.settled();
    expect((await w.app.store.runs.list()).map((run) => run.status)).toEqual(["succeeded"]);
    const used = (await w.app.audit.list({ action: "secret.used" })).map((entry) => [
      entry.actor,
      entry.subject,
    ]);
    expect(used).toEqual([["system", "SHOP_TOKEN"]]);
    const started = await w.app.audit.list({ action: "run.started" });
    expect(started.map((entry) => entry.actor)).toEqual(["scheduler"]);

    // Deleted: the next occurrence fails naming the secret, and no run is created for it.
    await w.app.secrets.remove("SHOP_TOKEN");
    w.clock.advance(MINUTE);
    await scheduler.tick();
    await scheduler.settled();
    expect(await w.app.store.runs.list()).toHaveLength(1);
    const occurrences = await w.app.store.schedules.occurrences({ scheduleId: schedule.id });
    expect(occurrences.map((o) => o.status)).toContain("failed");
    expect(occurrences.find((o) => o.status === "failed")?.reason).toMatch(/secret SHOP_TOKEN not set/);
  });
});
