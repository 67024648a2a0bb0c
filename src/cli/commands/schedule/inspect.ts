/** The `trawl schedule` subcommands that read schedules: list, show, history, next. */
import type { Command } from "commander";
import {
  requireSchedule,
  upcomingOf,
  viewOccurrence,
  viewSchedule,
  type Timing,
} from "../../../scheduler/index.ts";
import { withApp, type GlobalOptions } from "../../context.ts";
import { positiveInteger } from "../../option-parsers.ts";
import { printJson } from "../../output.ts";
import { printHistory, printNext, printSchedules } from "./output.ts";

/** `trawl schedule list`: every schedule with its next occurrence. */
export function registerList(schedule: Command): void {
  schedule
    .command("list")
    .description("list schedules with their next occurrence")
    .option("--json", "print the list as JSON on stdout")
    .action((options: GlobalOptions) =>
      withApp(options, async (app) => {
        const all = await app.store.schedules.list();
        if (options.json) return printJson({ schedules: all.map((s) => viewSchedule(s, app.clock.now())) });
        if (all.length === 0)
          return void process.stdout.write("no schedules (add one with `trawl schedule add`)\n");
        printSchedules(app, all);
      }),
    );
}

/** `trawl schedule show ID`: a schedule, its next occurrences and its recent history. */
export function registerShow(schedule: Command): void {
  schedule
    .command("show")
    .description("show a schedule, its next occurrences and its recent history")
    .argument("<id>", "schedule id (SCH-…)")
    .option("--json", "print as JSON on stdout")
    .action((id: string, options: GlobalOptions) =>
      withApp(options, async (app) => {
        const found = await requireSchedule(app.store.schedules, id);
        const now = app.clock.now();
        const view = viewSchedule(found, now);
        const timing = found.timing as Timing;
        const next = upcomingOf(found, now, 5);
        const history = (await app.store.schedules.occurrences({ scheduleId: found.id, limit: 10 })).map(
          viewOccurrence,
        );
        if (options.json) return printJson({ ...view, upcoming: next, history });
        for (const [key, value] of Object.entries(view))
          process.stdout.write(`${key.padEnd(15)} ${value ?? "-"}\n`);
        process.stdout.write("\nnext\n");
        printNext(next, timing.zone, false);
        process.stdout.write("\nrecent history\n");
        printHistory(history);
      }),
    );
}

/** `trawl schedule history [ID]`: what each occurrence became. */
export function registerHistory(schedule: Command): void {
  schedule
    .command("history")
    .description("what each occurrence became: fired (run, outcome, duration) or skipped and why")
    .argument("[id]", "only this schedule")
    .option("--limit <n>", "at most this many, newest first", positiveInteger, 50)
    .option("--json", "print as JSON on stdout")
    .action((id: string | undefined, options: GlobalOptions & { limit: number }) =>
      withApp(options, async (app) => {
        if (id !== undefined) await requireSchedule(app.store.schedules, id);
        const history = (
          await app.store.schedules.occurrences({
            ...(id !== undefined && { scheduleId: id }),
            limit: options.limit,
          })
        ).map(viewOccurrence);
        if (options.json) return printJson({ history });
        if (history.length === 0) return void process.stdout.write("no occurrences yet\n");
        printHistory(history);
      }),
    );
}

/** `trawl schedule next ID`: the next occurrences of a schedule. */
export function registerNext(schedule: Command): void {
  schedule
    .command("next")
    .description("the next occurrences of a schedule")
    .argument("<id>", "schedule id")
    .option("--count <n>", "how many", positiveInteger, 5)
    .option("--json", 'print { "next": [ISO instants] } on stdout')
    .action((id: string, options: GlobalOptions & { count: number }) =>
      withApp(options, async (app) => {
        const found = await requireSchedule(app.store.schedules, id);
        printNext(
          upcomingOf(found, app.clock.now(), options.count),
          (found.timing as Timing).zone,
          options.json,
        );
      }),
    );
}
