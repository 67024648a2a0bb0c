/** What becomes of the occurrences that came due since a schedule was last checked. */
import type { NewOccurrence, ScheduleRecord } from "../store/index.ts";
import { formatDurationSpec } from "./duration.ts";

/** An occurrence noticed later than this after its time counts as missed (the daemon was down, the machine asleep). */
export const ON_TIME_MS = 15_000;

/**
 * Decides due occurrences (oldest first): the newest fires when it is on time, or with catch-up
 * `latest` when it was missed by less than the grace period; every other one is recorded as
 * skipped with the reason. A firing occurrence waits for its jitter, drawn with `random`.
 */
export function decideDue(
  schedule: ScheduleRecord,
  due: number[],
  now: number,
  owner: string,
  random: () => number,
): NewOccurrence[] {
  const newest = due.at(-1)!;
  const lateBy = now - newest;
  const fires = lateBy <= ON_TIME_MS || (schedule.catchUp === "latest" && lateBy <= schedule.graceMs);
  const skipReason = (at: number): string => {
    if (fires) return `coalesced into the run for ${new Date(newest).toISOString()}`;
    if (schedule.catchUp === "latest" && at === newest) {
      return `missed by ${formatDurationSpec(lateBy)}, more than the grace period of ${formatDurationSpec(schedule.graceMs)}`;
    }
    return schedule.catchUp === "latest"
      ? "missed: a newer occurrence was missed too"
      : "missed: the scheduler was not running at the time (catch-up none)";
  };
  return due.map((dueAt) => {
    const base = { scheduleId: schedule.id, dueAt, attempt: 0, kind: "scheduled" as const, claimedBy: owner };
    if (dueAt === newest && fires) {
      const jitter = Math.floor(random() * schedule.jitterMs);
      return { ...base, status: "waiting", reason: null, startAfter: Math.max(now, dueAt) + jitter };
    }
    return { ...base, status: "skipped", reason: skipReason(dueAt), startAfter: dueAt };
  });
}
