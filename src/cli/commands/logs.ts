import type { Command } from "commander";
import type { LogLevel } from "../../core/events.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { printJson } from "../output.ts";

interface LogsOptions extends GlobalOptions {
  level: LogLevel;
}

/** `trawl logs RUN`: a run's stored log lines. */
export function register(program: Command): void {
  program
    .command("logs")
    .description("print a run's log")
    .argument("<run>", "run id")
    .option("--level <level>", "lowest level shown: debug, info, warn, error", "info")
    .option("--json", "print as JSON on stdout")
    .action((runId: string, options: LogsOptions) =>
      withApp(options, async (app) => {
        const lines = await app.store.logs.list(runId, { level: options.level });
        if (options.json) return printJson({ runId, logs: lines });
        for (const line of lines) {
          process.stdout.write(
            `${new Date(line.at).toISOString()} ${line.level.padEnd(5)} ${line.message}\n`,
          );
        }
      }),
    );
}
