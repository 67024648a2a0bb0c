/** How `trawl schedule` prints schedules, their next occurrences and their history. */
import type { App } from "../../../app/index.ts";
import { viewSchedule, type viewOccurrence } from "../../../scheduler/index.ts";
import type { ScheduleRecord } from "../../../store/index.ts";
import type { GlobalOptions } from "../../context.ts";
import { printJson, printTable } from "../../output.ts";

/** Instants as ISO strings. */
export function isoList(instants: number[]): string[] {
  return instants.map((at) => new Date(at).toISOString());
}

/** Next occurrences, each with its local time in `zone`; `{ next }` with `json`. */
export function printNext(next: string[], zone: string, json: boolean | undefined): void {
  if (json) return printJson({ next });
  if (next.length === 0) process.stdout.write("no upcoming occurrences\n");
  for (const at of next) process.stdout.write(`${at}  (${localTime(at, zone)} ${zone})\n`);
}

function localTime(iso: string, zone: string): string {
  return new Date(iso).toLocaleString("sv-SE", { timeZone: zone, hour12: false }).slice(0, 16);
}

/** Schedules as a table: timing, window, next occurrence, status. */
export function printSchedules(app: App, schedules: ScheduleRecord[]): void {
  const now = app.clock.now();
  printTable(
    ["id", "scraper", "when", "zone", "window", "next", "status"],
    schedules.map((schedule) => {
      const view = viewSchedule(schedule, now);
      const window = [view.activeHours, view.days].filter(Boolean).join(" ") || null;
      const status = view.pausedReason ? `paused: ${view.pausedReason}` : view.status;
      return [
        view.id,
        view.scraper,
        view.when,
        view.zone,
        window,
        view.next?.slice(0, 16).replace("T", " ") ?? null,
        status,
      ];
    }),
  );
}

/** Occurrences as a table: due, kind, status, run, how long it took, why. */
export function printHistory(history: ReturnType<typeof viewOccurrence>[]): void {
  printTable(
    ["due", "schedule", "kind", "status", "run", "took", "reason"],
    history.map((o) => [
      o.due.slice(0, 19).replace("T", " "),
      o.schedule,
      o.attempt > 0 ? `${o.kind} ${o.attempt}` : o.kind,
      o.status,
      o.run,
      o.durationMs === null ? null : `${(o.durationMs / 1000).toFixed(1)} s`,
      o.reason,
    ]),
  );
}

/** A schedule after a change (`verb`: paused, resumed), as JSON with `--json`. */
export async function printChanged(
  app: App,
  id: string,
  options: GlobalOptions,
  verb: string,
): Promise<void> {
  const view = viewSchedule((await app.store.schedules.get(id))!, app.clock.now());
  if (options.json) return printJson(view);
  process.stdout.write(`schedule ${id} ${verb}; next ${view.next ?? "-"}\n`);
}
