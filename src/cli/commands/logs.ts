import { Option, type Command } from "commander";
import { LOG_LEVELS } from "../../core/contract/values.ts";
import { RunNotFoundError } from "../../core/index.ts";
import type { LogLevel } from "../../core/index.ts";
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
    .addOption(new Option("--level <level>", "lowest level shown").choices(LOG_LEVELS).default("info"))
    .option("--json", "print as JSON on stdout")
    .action((runId: string, options: LogsOptions) =>
      withApp(options, async (app) => {
        if (!(await app.store.runs.get(runId))) {
          throw new RunNotFoundError(runId);
        }
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
