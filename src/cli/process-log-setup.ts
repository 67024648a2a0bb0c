/**
 * Every trawl command's process log and crash report (docs/logs.md), set up before the command
 * runs: `trawl serve`, `trawl scheduler` and `trawl worker` write `serve.*.log`, `scheduler.*.log`
 * and `worker.*.log` and print each line on stderr too; other commands write `cli.*.log` quietly.
 */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { configWithFlags, trawlConfig, type LogLevel } from "../core/index.ts";
import { installCrashHandler, processLog, processLogOpen, startProcessLog } from "../observe/index.ts";

/** Opens the process log of a command whose data directory did not exist yet (see below). */
let deferred: (() => Promise<void>) | undefined;

/** Long-running commands: each writes its own process log and prints its lines on stderr. */
const DAEMONS = new Set(["serve", "scheduler", "worker"]);

/** Commands that touch no data directory, so leave no log there. */
const WITHOUT_LOG = new Set(["validate"]);

/** The command's name below `trawl`: `run`, `schedule add`. */
function commandPath(command: Command): string {
  const path: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) path.unshift(c.name());
  return path.join(" ");
}

/**
 * Opens the process log of the command about to run and reports its crashes (a commander
 * `preAction` hook). A log that cannot be opened (a read-only data directory) is warned about and
 * the command runs without one.
 */
export async function setUpProcessLog(command: Command): Promise<void> {
  const name = commandPath(command);
  if (WITHOUT_LOG.has(name)) return;
  // `serve`, `scheduler` (the daemon, not `scheduler status`), `worker`, else `cli`.
  const kind = DAEMONS.has(name) ? name : "cli";
  const home = configWithFlags({ home: command.getOptionValue("home") as string | undefined }).home;
  const daemon = kind !== "cli";
  const level = trawlConfig().logLevel;
  const open = async () => {
    try {
      await startProcessLog({ home, process: kind, level, ...(daemon && { console: process.stderr }) });
    } catch (error) {
      process.stderr.write(`trawl: warning: no process log (${String(error)})\n`);
    }
  };
  // A data directory is created only by a command that gets as far as opening it (cli.md).
  if (level !== "silent") {
    if (existsSync(home)) await open();
    else deferred = open;
  }
  // A server keeps serving the other runs when one scraper's code throws where nobody catches it.
  installCrashHandler({
    home,
    process: kind,
    exit: kind !== "serve",
    // A daemon's process log prints the crash on stderr itself.
    printPath: () => !daemon || !processLogOpen(),
  });
  processLog(kind === "cli" ? "cli" : kind).debug(`trawl ${name}`);
}

/**
 * A daemon's line (`trawl serve`, `trawl scheduler`): to the process log, which prints it on
 * stderr too, else straight to stderr as before there were process logs.
 */
export function daemonLog(component: string): (level: LogLevel, message: string) => void {
  return (level, message) => {
    if (processLogOpen()) processLog(component)[level](message);
    else process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
  };
}

/**
 * Opens the process log a command put off because its data directory did not exist: `withApp`
 * calls it once the app has created the directory. Nothing when none was put off.
 */
export async function openDeferredProcessLog(): Promise<void> {
  const open = deferred;
  deferred = undefined;
  await open?.();
}
