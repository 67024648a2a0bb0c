/**
 * The schedule store as the app hands it out: creating, changing (timing, policies, pause, resume)
 * and deleting a schedule, by the CLI or the API, are appended to the audit log; so is the
 * scheduler pausing a schedule after too many failures. The scheduler's bookkeeping (cursors,
 * occurrences, failure counts) is not.
 */
import type { AuditActor, AuditLog } from "../security/index.ts";
import type { ScheduleStore } from "../store/index.ts";

/** `schedules` with its changes recorded in `audit`, by the app's actor at the time. */
export function auditedSchedules(
  schedules: ScheduleStore,
  audit: AuditLog,
  actor: () => AuditActor,
): ScheduleStore {
  const overrides: Partial<ScheduleStore> = {
    async create(...args: Parameters<ScheduleStore["create"]>) {
      const created = await schedules.create(...args);
      await audit.append({
        actor: actor(),
        action: "schedule.created",
        subject: created.id,
        details: { scraper: created.scraper },
      });
      return created;
    },
    async update(...args: Parameters<ScheduleStore["update"]>) {
      const [id, patch] = args;
      const changed = await schedules.update(...args);
      if (changed) {
        await audit.append({
          actor: actor(),
          action: "schedule.changed",
          subject: id.toUpperCase(),
          details: { fields: Object.keys(patch).sort(), ...(patch.status && { status: patch.status }) },
        });
      }
      return changed;
    },
    async remove(id: string) {
      const removed = await schedules.remove(id);
      if (removed)
        await audit.append({ actor: actor(), action: "schedule.deleted", subject: id.toUpperCase() });
      return removed;
    },
    async settle(...args: Parameters<ScheduleStore["settle"]>) {
      await schedules.settle(...args);
      const schedule = args[3];
      if (schedule?.patch.status === "paused") {
        await audit.append({
          actor: "scheduler",
          action: "schedule.changed",
          subject: schedule.id,
          details: { fields: Object.keys(schedule.patch).sort(), status: "paused" },
        });
      }
    },
  };
  // Everything else goes to the store itself, bound to it.
  return new Proxy(schedules, {
    get(target, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof ScheduleStore];
      const value: unknown = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
