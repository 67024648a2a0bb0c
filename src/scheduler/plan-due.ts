/** Which occurrences of a schedule came due since its last check, and when the next one is. */
import type { ScheduleRecord, ScheduleStore } from "../store/index.ts";
import { decideDue } from "./decide-due.ts";
import { Occurrences, type Timing } from "./timing.ts";
import type { SchedulerContext } from "./types.ts";

/** Most missed occurrences recorded one by one per check; older ones are only counted in the log. */
const MAX_RECORDED_MISSES = 100;

/**
 * Records the occurrences of `schedule` that came due since its cursor: at most one fires (it
 * waits to be started), the others are recorded as skipped with the reason. Does nothing when
 * another scheduler advanced the cursor first.
 */
export async function planDue(
  context: SchedulerContext,
  schedule: ScheduleRecord,
  now: number,
  random: () => number,
): Promise<void> {
  const { occurrences: due, omitted } = new Occurrences(schedule.timing as Timing).between(
    schedule.cursor,
    now,
    MAX_RECORDED_MISSES,
  );
  if (due.length === 0) return;
  const decided = decideDue(schedule, due, now, context.owner, random);
  const advanced = await context.schedules.advance(schedule.id, schedule.cursor, due.at(-1)!, decided, now);
  if (!advanced) return;
  for (const o of decided) {
    if (o.status === "skipped") {
      context.emit?.({
        type: "schedule.skipped",
        scheduleId: o.scheduleId,
        dueAt: o.dueAt,
        reason: o.reason ?? "",
      });
    }
  }
  const missed = decided.filter((o) => o.status === "skipped").length + omitted;
  if (missed > 0) {
    context.log(
      "warn",
      `${schedule.id}: ${missed} occurrence(s) missed (${decided.find((o) => o.status === "skipped")?.reason})`,
    );
  }
  for (const o of decided) {
    if (o.status === "waiting") {
      context.log(
        "info",
        `${schedule.id} (${schedule.scraper}): occurrence ${new Date(o.dueAt).toISOString()} is due`,
      );
    }
  }
}

/** The earliest instant something is due: an active schedule's next occurrence or a waiting start. */
export async function nextDueAt(schedules: ScheduleStore, now: number): Promise<number | null> {
  let next: number | null = null;
  const earliest = (at: number | null) => {
    if (at !== null && (next === null || at < next)) next = at;
  };
  for (const schedule of await schedules.list()) {
    if (schedule.status !== "active") continue;
    earliest(new Occurrences(schedule.timing as Timing).next(Math.max(schedule.cursor, now)));
  }
  for (const waiting of await schedules.occurrences({ statuses: ["waiting"], limit: 10_000 })) {
    // Held back by overlap or the cap: their turn comes when a run ends, which wakes the loop.
    if (waiting.startAfter > now) earliest(waiting.startAfter);
  }
  return next;
}
