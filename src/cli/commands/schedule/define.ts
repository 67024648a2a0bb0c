/** The `trawl schedule` subcommands that define when a schedule fires: add, edit, preview. */
import { resolve } from "node:path";
import type { Command } from "commander";
import { loadScraper } from "../../../app/index.ts";
import {
  editSchedule,
  newSchedule,
  Occurrences,
  parseInstant,
  requireSchedule,
  systemZone,
  timingFromFlags,
  viewSchedule,
} from "../../../scheduler/index.ts";
import { withApp, withoutApp } from "../../context.ts";
import { positiveInteger } from "../../option-parsers.ts";
import { printJson, reportError } from "../../output.ts";
import { policyOptions, timingOptions, type ScheduleFlags } from "./flags.ts";
import { isoList, printNext } from "./output.ts";

/** `trawl schedule add FILE`: schedules a definition, checked before anything is stored. */
export function registerAdd(schedule: Command): void {
  policyOptions(
    timingOptions(
      schedule
        .command("add")
        .description("schedule a scraper definition")
        .argument("<scraper>", "scraper definition file (.yaml, .ts, …); loaded again at every run"),
    ),
  )
    .option("--json", "print the schedule as JSON on stdout")
    .action(async (file: string, flags: ScheduleFlags) => {
      // Everything is checked before the data directory is opened: bad input changes nothing.
      let definition: ReturnType<typeof newSchedule>;
      try {
        const now = Date.now();
        const timing = timingFromFlags(flags, now);
        const scraper = await loadScraper(file);
        definition = newSchedule({ name: scraper.name, source: resolve(file) }, timing, flags, now);
      } catch (error) {
        process.exitCode = reportError(error, flags.json ?? false);
        return;
      }
      await withApp(flags, async (app) => {
        const now = app.clock.now();
        const created = await app.store.schedules.create({ ...definition, cursor: now }, now);
        const view = viewSchedule(created, now);
        if (flags.json) return printJson(view);
        process.stdout.write(
          `schedule ${view.id}: ${view.scraper} ${view.when} (${view.zone}); next ${view.next ?? "-"}\n`,
        );
      });
    });
}

/** `trawl schedule edit ID`: changes a schedule's timing or policies. */
export function registerEdit(schedule: Command): void {
  policyOptions(
    timingOptions(
      schedule
        .command("edit")
        .description("change a schedule's timing or policies (unset flags keep their value)")
        .argument("<id>", "schedule id"),
    ),
  )
    .option("--json", "print the schedule as JSON on stdout")
    .action((id: string, flags: ScheduleFlags) =>
      withApp(flags, async (app) => {
        const found = await requireSchedule(app.store.schedules, id);
        const now = app.clock.now();
        await editSchedule(app.store.schedules, found, flags, now);
        const view = viewSchedule((await app.store.schedules.get(found.id))!, now);
        if (flags.json) return printJson(view);
        process.stdout.write(`schedule ${view.id}: ${view.when} (${view.zone}); next ${view.next ?? "-"}\n`);
      }),
    );
}

/** `trawl schedule preview`: the next occurrences of a timing, saving nothing. */
export function registerPreview(schedule: Command): void {
  timingOptions(
    schedule.command("preview").description("print the next occurrences of a timing without saving anything"),
  )
    .option("--from <time>", "start after this instant instead of now")
    .option("--count <n>", "how many", positiveInteger, 5)
    .option("--json", 'print { "next": [ISO instants] } on stdout')
    .action((flags: ScheduleFlags & { from?: string; count: number }) =>
      withoutApp(flags, async () => {
        const zone = flags.tz ?? systemZone();
        const from = flags.from === undefined ? Date.now() : parseInstant(flags.from, zone, "--from");
        const timing = timingFromFlags(flags, from);
        printNext(isoList(new Occurrences(timing).upcoming(from, flags.count)), timing.zone, flags.json);
      }),
    );
}
