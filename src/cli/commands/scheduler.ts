import { hostname } from "node:os";
import type { Command } from "commander";
import type { App } from "../../app/index.ts";
import { UsageError } from "../../core/errors.ts";
import type { LogLevel } from "../../core/events.ts";
import { isProcessAlive } from "../../core/process.ts";
import type { SchedulerProcess } from "../../store/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { printJson, printTable } from "../output.ts";

/** A scheduler whose heartbeat is older than this is gone. */
const STALE_AFTER_MS = 15_000;

/** Scheduler processes that are alive: a fresh heartbeat, and on this host a live pid. */
export async function liveSchedulers(app: App): Promise<SchedulerProcess[]> {
  const now = app.clock.now();
  return (await app.store.schedules.processes()).filter(
    (p) => now - p.heartbeatAt <= STALE_AFTER_MS && (p.host !== hostname() || isProcessAlive(p.pid)),
  );
}

/** `trawl scheduler`: the daemon that fires schedules; `trawl scheduler status`: is one running? */
export function register(program: Command): void {
  const scheduler = program
    .command("scheduler")
    .description(
      "run the scheduler in the foreground (for systemd or a terminal); Ctrl-C or SIGTERM stops it",
    )
    .option("--max-concurrent <n>", "scheduled runs running at once, over all schedules", "3")
    .action((options: GlobalOptions & { maxConcurrent: string }) =>
      withApp(options, async (app) => {
        const maxConcurrent = Number(options.maxConcurrent);
        if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
          throw new UsageError(
            "TRAWL_ERR_CLI_USAGE",
            `--max-concurrent: "${options.maxConcurrent}" is not a positive whole number`,
          );
        }
        const stop = new AbortController();
        let signal: NodeJS.Signals | undefined;
        const onSignal = (name: NodeJS.Signals) => {
          if (signal) process.exit(name === "SIGINT" ? 130 : 143);
          signal = name;
          log("info", `${name}: stopping (again to quit at once; runs stay resumable)`);
          stop.abort();
        };
        process.on("SIGINT", onSignal);
        process.on("SIGTERM", onSignal);
        try {
          await app.scheduler({ log, maxConcurrent }).run(stop.signal);
        } finally {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
        }
        log("info", "scheduler stopped");
        return signal === "SIGINT" ? 130 : 0;
      }),
    );

  scheduler
    .command("status")
    .description("whether a scheduler is running: pid, leader, last check, runs started, next due")
    .option("--json", "print as JSON on stdout")
    .action((options: GlobalOptions) =>
      withApp(options, async (app) => {
        const live = await liveSchedulers(app);
        const leader = await app.store.schedules.leader();
        const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
        const schedulers = live.map((p) => ({
          pid: p.pid,
          host: p.host,
          leader: leader?.owner === p.owner && leader.expiresAt > app.clock.now(),
          startedAt: iso(p.startedAt),
          lastCheck: iso(p.checkedAt),
          schedulesChecked: p.schedulesChecked,
          runsStarted: p.runsStarted,
          nextDue: iso(p.nextDueAt),
        }));
        if (options.json) return printJson({ running: schedulers.length > 0, schedulers });
        if (schedulers.length === 0) {
          process.stdout.write("no scheduler is running (start one with `trawl scheduler`)\n");
          return;
        }
        printTable(
          ["pid", "host", "leader", "started", "last check", "schedules", "runs started", "next due"],
          schedulers.map((s) => [
            s.pid,
            s.host,
            s.leader ? "yes" : "no",
            s.startedAt,
            s.lastCheck,
            s.schedulesChecked,
            s.runsStarted,
            s.nextDue,
          ]),
        );
      }),
    );
}

function log(level: LogLevel, message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
}
