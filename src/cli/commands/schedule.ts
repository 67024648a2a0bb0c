import { resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { loadScraper, type App } from "../../app/index.ts";
import { SCHEDULE_DEFAULTS } from "../../core/contract/schedule-defaults.ts";
import {
  editSchedule,
  liveSchedulers,
  newSchedule,
  Occurrences,
  parseInstant,
  pauseSchedule,
  requireSchedule,
  resumeSchedule,
  runScheduleNow,
  systemZone,
  timingFromFlags,
  upcomingOf,
  viewOccurrence,
  viewSchedule,
  type PolicyFlags,
  type Timing,
  type TimingFlags,
} from "../../scheduler/index.ts";
import type { ScheduleRecord } from "../../store/index.ts";
import { withApp, withoutApp, type GlobalOptions } from "../context.ts";
import { printJson, printTable, reportError } from "../output.ts";

type Flags = GlobalOptions & TimingFlags & PolicyFlags;

function positiveInteger(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

/** The flags that say when a schedule fires. */
function timingOptions(command: Command): Command {
  return command
    .option("--cron <expr>", 'cron expression, 5 fields or 6 with seconds first (e.g. "30 6 * * 1-5")')
    .option("--every <duration>", "an interval of elapsed time: 90s, 15m, 1h30m, 2d")
    .option("--at <time>", "once, at 2026-11-23T09:00 (in --tz) or an ISO instant with Z or an offset")
    .option("--daily <HH:MM>", "every day at this local time")
    .option("--weekly <DAYS@HH:MM>", "on these days at this local time, e.g. mon,thu@09:00")
    .option("--manual", "only when asked (schedule run-now)")
    .option("--tz <zone>", `IANA time zone (default: this machine's, ${systemZone()})`)
    .option(
      "--active-hours <HH:MM-HH:MM>",
      "fire only inside this daily window (end exclusive; none to clear)",
    )
    .option("--days <days>", "fire only on these days, e.g. mon-fri or sat,sun (none to clear)");
}

/** The flags of a schedule's policies. */
function policyOptions(command: Command): Command {
  return command
    .option(
      "--catch-up <policy>",
      `missed occurrences: none (skip them) or latest (run once if recent) (default ${SCHEDULE_DEFAULTS.catchUp})`,
    )
    .option(
      "--grace <duration>",
      `with catch-up latest: how late a missed run may still start (default ${SCHEDULE_DEFAULTS.grace})`,
    )
    .option(
      "--overlap <policy>",
      `while the previous run is active: skip or queue (default ${SCHEDULE_DEFAULTS.overlap})`,
    )
    .option(
      "--max-failures <n>",
      `pause the schedule after this many failures in a row (default ${SCHEDULE_DEFAULTS.maxFailures})`,
    )
    .option(
      "--retries <n>",
      `retry a failed occurrence this many times, backing off from 1 min (default ${SCHEDULE_DEFAULTS.retries})`,
    )
    .option(
      "--jitter <duration>",
      `start up to this much later, at random (spreads load) (default ${SCHEDULE_DEFAULTS.jitter})`,
    );
}

function isoList(instants: number[]): string[] {
  return instants.map((at) => new Date(at).toISOString());
}

function printNext(next: string[], zone: string, json: boolean | undefined): void {
  if (json) return printJson({ next });
  if (next.length === 0) process.stdout.write("no upcoming occurrences\n");
  for (const at of next) process.stdout.write(`${at}  (${localTime(at, zone)} ${zone})\n`);
}

function localTime(iso: string, zone: string): string {
  return new Date(iso).toLocaleString("sv-SE", { timeZone: zone, hour12: false }).slice(0, 16);
}

function printSchedules(app: App, schedules: ScheduleRecord[]): void {
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

/** `trawl schedule …`: create, inspect and change schedules; `trawl scheduler` fires them. */
export function register(program: Command): void {
  const schedule = program
    .command("schedule")
    .description("create, list and change schedules (the `trawl scheduler` daemon runs them)");

  policyOptions(
    timingOptions(
      schedule
        .command("add")
        .description("schedule a scraper definition")
        .argument("<scraper>", "scraper definition file (.yaml, .ts, …); loaded again at every run"),
    ),
  )
    .option("--json", "print the schedule as JSON on stdout")
    .action(async (file: string, flags: Flags) => {
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

  policyOptions(
    timingOptions(
      schedule
        .command("edit")
        .description("change a schedule's timing or policies (unset flags keep their value)")
        .argument("<id>", "schedule id"),
    ),
  )
    .option("--json", "print the schedule as JSON on stdout")
    .action((id: string, flags: Flags) =>
      withApp(flags, async (app) => {
        const found = await requireSchedule(app.store.schedules, id);
        const now = app.clock.now();
        await editSchedule(app.store.schedules, found, flags, now);
        const view = viewSchedule((await app.store.schedules.get(found.id))!, now);
        if (flags.json) return printJson(view);
        process.stdout.write(`schedule ${view.id}: ${view.when} (${view.zone}); next ${view.next ?? "-"}\n`);
      }),
    );

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

  timingOptions(
    schedule.command("preview").description("print the next occurrences of a timing without saving anything"),
  )
    .option("--from <time>", "start after this instant instead of now")
    .option("--count <n>", "how many", positiveInteger, 5)
    .option("--json", 'print { "next": [ISO instants] } on stdout')
    .action((flags: Flags & { from?: string; count: number }) =>
      withoutApp(flags, async () => {
        const zone = flags.tz ?? systemZone();
        const from = flags.from === undefined ? Date.now() : parseInstant(flags.from, zone, "--from");
        const timing = timingFromFlags(flags, from);
        printNext(isoList(new Occurrences(timing).upcoming(from, flags.count)), timing.zone, flags.json);
      }),
    );
}

function printHistory(history: ReturnType<typeof viewOccurrence>[]): void {
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

async function printChanged(app: App, id: string, options: GlobalOptions, verb: string): Promise<void> {
  const view = viewSchedule((await app.store.schedules.get(id))!, app.clock.now());
  if (options.json) return printJson(view);
  process.stdout.write(`schedule ${id} ${verb}; next ${view.next ?? "-"}\n`);
}
