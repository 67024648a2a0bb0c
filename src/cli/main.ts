import { Command, CommanderError } from "commander";
import { ExitCode } from "../core/errors.ts";
import { register as cancel } from "./commands/cancel.ts";
import { register as datasets } from "./commands/datasets.ts";
import { register as demo } from "./commands/demo.ts";
import { register as exportCommand } from "./commands/export.ts";
import { register as logs } from "./commands/logs.ts";
import { register as pause } from "./commands/pause.ts";
import { register as resume } from "./commands/resume.ts";
import { register as run } from "./commands/run.ts";
import { register as runs } from "./commands/runs.ts";
import { register as show } from "./commands/show.ts";
import { register as stop } from "./commands/stop.ts";
import { register as validate } from "./commands/validate.ts";
import { printJson } from "./output.ts";

/** Builds the `trawl` command with every subcommand; separate from parsing so tests can use it. */
export function buildProgram(): Command {
  const program = new Command("trawl")
    .description("local-first web scraping: define, run, resume and trust your scrapers")
    .version("0.1.0")
    .option("--home <dir>", HOME_HELP)
    .showHelpAfterError()
    .exitOverride()
    // trawl's own options only before the command: `trawl export books --version 2` is export's.
    .enablePositionalOptions();
  // --home works before the command and on every command; the nearest one given wins.
  program.hook("preAction", (_root, command) => {
    for (
      let from = command.parent;
      from && command.getOptionValue("home") === undefined;
      from = from.parent
    ) {
      const home = from.getOptionValue("home") as string | undefined;
      if (home !== undefined) command.setOptionValue("home", home);
    }
  });
  for (const register of [
    run,
    resume,
    pause,
    stop,
    cancel,
    runs,
    show,
    logs,
    validate,
    exportCommand,
    datasets,
    demo,
  ]) {
    register(program);
  }
  addHomeOption(program.commands);
  return program;
}

const HOME_HELP = "data directory (default: $TRAWL_HOME, else ~/.local/share/trawl)";

function addHomeOption(commands: readonly Command[]): void {
  for (const command of commands) {
    command.option("--home <dir>", HOME_HELP);
    addHomeOption(command.commands);
  }
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
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
