import type { Command } from "commander";
import type { LogLevel } from "../../core/index.ts";
import { schedulerStatus } from "../../scheduler/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { cliError } from "../errors.ts";
import { metricsEndpoint } from "../metrics-endpoint.ts";
import { portParser } from "../option-parsers.ts";
import { printJson, printTable } from "../output.ts";
import { daemonLog } from "../process-log-setup.ts";

/** `trawl scheduler`: the daemon that fires schedules; `trawl scheduler status`: is one running? */
export function register(program: Command): void {
  const scheduler = program
    .command("scheduler")
    .description(
      "run the scheduler in the foreground (for systemd or a terminal); Ctrl-C or SIGTERM stops it",
    )
    .option("--max-concurrent <n>", "scheduled runs running at once, over all schedules", "3")
    .option(
      "--metrics-port <port>",
      "serve GET /metrics (Prometheus, with the access token) on 127.0.0.1:PORT; 0 picks a free port",
      portParser({ anyFreePort: true }),
    )
    .action((options: GlobalOptions & { maxConcurrent: string; metricsPort?: number }) =>
      withApp(options, async (app) => {
        const maxConcurrent = Number(options.maxConcurrent);
        if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
          throw cliError(
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
        const metrics =
          options.metricsPort === undefined
            ? undefined
            : await metricsEndpoint(app, options.metricsPort, log);
        try {
          await app.scheduler({ log, maxConcurrent, emit: metrics?.observe }).run(stop.signal);
        } finally {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
          await metrics?.close();
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
        const schedulers = await schedulerStatus(app.store.schedules, app.clock.now());
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

/** The scheduler's lines: the process log (`scheduler.*.log`) and stderr. */
const log: (level: LogLevel, message: string) => void = daemonLog("scheduler");
