import { Command, CommanderError } from "commander";
import { trawlConfig, ExitCode, TRAWL_VERSION } from "../core/index.ts";
import { printJson, reportError } from "./output.ts";
import { setUpProcessLog } from "./process-log-setup.ts";

type Register = (program: Command) => void;

/**
 * Each subcommand's module, loaded on demand: `trawl run` should not pay for loading the demo
 * site or the export writers at start-up. In the order `--help` lists them.
 */
const COMMANDS: Record<string, () => Promise<{ register: Register }>> = {
  run: () => import("./commands/run.ts"),
  resume: () => import("./commands/resume.ts"),
  pause: () => import("./commands/pause.ts"),
  stop: () => import("./commands/stop.ts"),
  cancel: () => import("./commands/cancel.ts"),
  runs: () => import("./commands/runs.ts"),
  show: () => import("./commands/show.ts"),
  workers: () => import("./commands/workers.ts"),
  logs: () => import("./commands/logs.ts"),
  compare: () => import("./commands/compare.ts"),
  replay: () => import("./commands/replay.ts"),
  validate: () => import("./commands/validate.ts"),
  export: () => import("./commands/export.ts"),
  datasets: () => import("./commands/datasets.ts"),
  sessions: () => import("./commands/sessions.ts"),
  secrets: () => import("./commands/secrets.ts"),
  security: () => import("./commands/security.ts"),
  serve: () => import("./commands/serve.ts"),
  app: () => import("./commands/app.ts"),
  schedule: () => import("./commands/schedule.ts"),
  scheduler: () => import("./commands/scheduler.ts"),
  worker: () => import("./commands/worker.ts"),
  audit: () => import("./commands/audit.ts"),
  diagnostics: () => import("./commands/diagnostics.ts"),
  db: () => import("./commands/db.ts"),
  demo: () => import("./commands/demo.ts"),
};

/**
 * Loads the subcommands `argv` may need: only the named one when the first word after trawl's
 * own options names one, else all of them (help, `--version`, an unknown command's suggestions).
 */
export async function loadCommands(argv: readonly string[]): Promise<Register[]> {
  const name = commandName(argv.slice(2));
  const loaders = name !== undefined && COMMANDS[name] ? [COMMANDS[name]] : Object.values(COMMANDS);
  return (await Promise.all(loaders.map((load) => load()))).map((module) => module.register);
}

/** The first word that is neither an option nor `--home`'s value. */
function commandName(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--home") i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

/** Builds the `trawl` command with the given subcommands; separate from parsing so tests can use it. */
export function buildProgram(commands: readonly Register[]): Command {
  const program = new Command("trawl")
    .description("local-first web scraping: define, run, resume and trust your scrapers")
    .version(TRAWL_VERSION)
    .option("--home <dir>", HOME_HELP)
    .option("--database <url>", DATABASE_HELP)
    .showHelpAfterError()
    .exitOverride()
    // trawl's own options only before the command: `trawl export books --version 2` is export's.
    .enablePositionalOptions();
  // --home and --database work before the command and on every command; the nearest one wins.
  program.hook("preAction", (_root, command) => {
    for (const name of ["home", "database"]) {
      for (
        let from = command.parent;
        from && command.getOptionValue(name) === undefined;
        from = from.parent
      ) {
        const value = from.getOptionValue(name) as string | undefined;
        if (value !== undefined) command.setOptionValue(name, value);
      }
    }
  });
  for (const register of commands) register(program);
  addGlobalOptions(program.commands);
  return program;
}

const HOME_HELP = "data directory (default: $TRAWL_HOME, else ~/.local/share/trawl)";
const DATABASE_HELP =
  "PostgreSQL database of runs, shared by several machines (default: $TRAWL_DATABASE_URL, else the data directory's SQLite file)";

function addGlobalOptions(commands: readonly Command[]): void {
  for (const command of commands) {
    command.option("--home <dir>", HOME_HELP);
    command.option("--database <url>", DATABASE_HELP);
    addGlobalOptions(command.commands);
  }
}

async function main(): Promise<void> {
  try {
    // The environment is checked once, before any command: a bad TRAWL_* value is exit code 2
    // whatever runs, and an unknown TRAWL_* variable is warned about here.
    trawlConfig();
  } catch (error) {
    process.exitCode = reportError(error, process.argv.includes("--json"));
    return;
  }
  try {
    const program = buildProgram(await loadCommands(process.argv));
    // The process log and crash reports (docs/logs.md), once --home is known.
    program.hook("preAction", (_root, command) => setUpProcessLog(command));
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error.
      process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      // Commander already explained it on stderr; `--json` still promises one document on stdout.
      if (error.exitCode !== 0 && process.argv.includes("--json")) {
        printJson({
          error: {
            code: "TRAWL_ERR_CLI_USAGE",
            message: error.message.replace(/^error: /, ""),
            details: { reason: error.code },
          },
        });
      }
      return;
    }
    throw error;
  }
}

await main();
