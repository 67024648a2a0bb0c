import type { Command } from "commander";
import { FleetWorker } from "../../app/index.ts";
import type { LogLevel } from "../../core/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { metricsEndpoint } from "../metrics-endpoint.ts";
import { portParser, positiveInteger } from "../option-parsers.ts";
import { daemonLog } from "../process-log-setup.ts";

interface WorkerOptions extends GlobalOptions {
  runs?: string[];
  concurrency?: number;
  metricsPort?: number;
}

/**
 * `trawl worker`: serves the running runs of a shared PostgreSQL database from this machine, one
 * worker among others, until Ctrl-C or SIGTERM (it finishes the pages it started and gives back
 * the rest) or, with `--runs`, until those runs ended.
 */
export function register(program: Command): void {
  program
    .command("worker")
    .description(
      "serve the running runs of a shared PostgreSQL database (--database) as one worker among others; Ctrl-C or SIGTERM stops it",
    )
    .option(
      "--runs <run...>",
      "serve these runs only, and exit once they ended (default: every running run, until stopped)",
    )
    .option(
      "--concurrency <n>",
      "requests in flight per run at most (default: each scraper's concurrency)",
      positiveInteger,
    )
    .option(
      "--metrics-port <port>",
      "serve GET /metrics (Prometheus, with the access token) on 127.0.0.1:PORT; 0 picks a free port",
      portParser({ anyFreePort: true }),
    )
    .action((options: WorkerOptions) =>
      withApp(options, async (app) => {
        const { concurrency } = options;
        // `--runs all` says the default out loud.
        const runs = !options.runs || options.runs.includes("all") ? undefined : options.runs;
        const worker = new FleetWorker(app, {
          log,
          ...(runs && { runs }),
          ...(concurrency && { concurrency }),
        });
        const stop = new AbortController();
        let signal: NodeJS.Signals | undefined;
        const onSignal = (name: NodeJS.Signals) => {
          if (signal) process.exit(name === "SIGINT" ? 130 : 143);
          signal = name;
          log(
            "info",
            `${name}: stopping after the pages in flight (again to quit at once; their leases expire)`,
          );
          stop.abort();
        };
        process.on("SIGINT", onSignal);
        process.on("SIGTERM", onSignal);
        log(
          "info",
          `worker ${app.engine.owner} serving ${runs ? `runs ${runs.join(", ")}` : "every running run"}`,
        );
        const metrics =
          options.metricsPort === undefined
            ? undefined
            : await metricsEndpoint(app, options.metricsPort, log);
        try {
          await worker.run(stop.signal);
        } finally {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
          await metrics?.close();
        }
        log("info", "worker stopped");
        return signal === "SIGINT" ? 130 : 0;
      }),
    );
}

/** The worker's lines: the process log (`worker.*.log`) and stderr. */
const log: (level: LogLevel, message: string) => void = daemonLog("worker");
