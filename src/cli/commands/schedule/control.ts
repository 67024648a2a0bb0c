/** The `trawl schedule` subcommands that change a schedule's state: pause, resume, rm, run-now. */
import type { Command } from "commander";
import {
  liveSchedulers,
  pauseSchedule,
  requireSchedule,
  resumeSchedule,
  runScheduleNow,
} from "../../../scheduler/index.ts";
import { withApp, type GlobalOptions } from "../../context.ts";
import { printJson } from "../../output.ts";
import { printChanged } from "./output.ts";

/** `trawl schedule pause ID`: stops firing a schedule until it is resumed. */
export function registerPause(schedule: Command): void {
  schedule
    .command("pause")
    .description("stop firing a schedule until it is resumed")
    .argument("<id>", "schedule id")
    .option("--reason <text>", "shown wherever the schedule is listed", "paused by hand")
    .option("--json", "print the schedule as JSON on stdout")
    .action((id: string, options: GlobalOptions & { reason: string }) =>
      withApp(options, async (app) => {
        const found = await requireSchedule(app.store.schedules, id);
        await pauseSchedule(app.store.schedules, found.id, options.reason, app.clock.now());
        return printChanged(app, found.id, options, "paused");
      }),
    );
}

/** `trawl schedule resume ID`: fires a paused schedule again, from now on. */
export function registerResume(schedule: Command): void {
  schedule
    .command("resume")
    .description("fire a paused schedule again, from now on (missed occurrences are not caught up)")
    .argument("<id>", "schedule id")
    .option("--json", "print the schedule as JSON on stdout")
    .action((id: string, options: GlobalOptions) =>
      withApp(options, async (app) => {
        const found = await requireSchedule(app.store.schedules, id);
        await resumeSchedule(app.store.schedules, found.id, app.clock.now());
        return printChanged(app, found.id, options, "resumed");
      }),
    );
}

/** `trawl schedule rm ID`: deletes a schedule and its history. */
export function registerRemove(schedule: Command): void {
  schedule
    .command("rm")
    .description("delete a schedule and its history (its runs stay)")
    .argument("<id>", "schedule id")
    .option("--json", "print the result as JSON on stdout")
    .action((id: string, options: GlobalOptions) =>
      withApp(options, async (app) => {
        const found = await requireSchedule(app.store.schedules, id);
        await app.store.schedules.remove(found.id);
        if (options.json) return printJson({ removed: found.id });
        process.stdout.write(`schedule ${found.id} removed\n`);
      }),
    );
}

/** `trawl schedule run-now ID`: queues one run of a schedule now. */
export function registerRunNow(schedule: Command): void {
  schedule
    .command("run-now")
    .description("run a schedule once now (the scheduler starts it; overlap and pause do not hold it back)")
    .argument("<id>", "schedule id")
    .option("--json", "print the queued occurrence as JSON on stdout")
    .action((id: string, options: GlobalOptions) =>
      withApp(options, async (app) => {
        const found = await requireSchedule(app.store.schedules, id);
        const now = app.clock.now();
        await runScheduleNow(app.store.schedules, found.id, now);
        const running = (await liveSchedulers(app.store.schedules, now)).length > 0;
        if (options.json)
          return printJson({
            schedule: found.id,
            due: new Date(now).toISOString(),
            schedulerRunning: running,
          });
        process.stdout.write(`schedule ${found.id}: run queued for ${new Date(now).toISOString()}\n`);
        if (!running)
          process.stderr.write("no scheduler is running: it starts when `trawl scheduler` does\n");
      }),
    );
}
