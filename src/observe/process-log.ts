/**
 * The process log of a trawl process (docs/logs.md): pino writing JSON lines to
 * `$TRAWL_HOME/logs/<process>.<day>.<n>.log`, rotated by pino-roll by size and by day, a bounded
 * number of files kept per process. Writes are synchronous (pino's transports in a worker thread
 * lose the last lines on exit, pino #2054): the line before a crash, a signal or even `kill -9` is
 * on disk. `trawl serve` and `trawl scheduler` also print each line human-readably on stderr.
 */
import { pino, type Logger, type DestinationStream, type Level } from "pino";
import pinoRoll from "pino-roll";
import { join } from "node:path";
import { homePaths, type LOG_THRESHOLDS } from "../core/index.ts";

/** A level of `TRAWL_LOG_LEVEL` (core's `LOG_THRESHOLDS`; `silent`: no process log at all). */
export type ProcessLogThreshold = (typeof LOG_THRESHOLDS)[number];

/** How to open a process log. */
export interface ProcessLogOptions {
  /** The data directory; the files go to its `logs/` folder. */
  home: string;
  /** Which process writes (`serve`, `scheduler`, `cli`): names its files. */
  process: string;
  /** Lines below it are dropped. @defaultValue `"info"` */
  level?: ProcessLogThreshold;
  /** Also print each line readably here (`trawl serve` passes stderr). @defaultValue none */
  console?: Console;
  /** Rotate a file past this size (pino-roll: MB as a number, or `"500k"`, `"10m"`). @defaultValue `"10m"` */
  maxSize?: string | number;
  /** Old files kept per process besides the current one. @defaultValue 9 */
  keep?: number;
}

/** Where a daemon prints its lines: stderr, whose reader (a terminal, a pipe) may go away. */
type Console = Pick<NodeJS.WritableStream, "write" | "on" | "off">;

/** The open process log of this process. */
interface ActiveLog {
  root: Logger;
  /** Stops listening to the console's errors. */
  release(): void;
  file: DestinationStream & {
    flushSync(): void;
    end(): void;
    on(event: "error", listener: (error: unknown) => void): unknown;
  };
}

let active: ActiveLog | undefined;
const silent = pino({ level: "silent" });

/**
 * `2026-12-06T08:40:00.000Z info  message (run r_…)`, the format serve printed before. A console
 * that fails (EPIPE: its terminal or the pipe's reader is gone) is written no more: unheard, each
 * failure was an uncaught exception whose crash line failed again, and the server spun on them.
 */
function consoleStream(out: Console, closed: (error: unknown) => void) {
  let open = true;
  const onError = (error: unknown) => {
    if (!open) return;
    open = false;
    closed(error);
  };
  out.on("error", onError);
  const stream: DestinationStream = {
    write(line: string) {
      if (!open) return;
      const entry = JSON.parse(line) as { time: number; level: string; msg?: string; runId?: string };
      const run = entry.runId ? ` (run ${entry.runId})` : "";
      out.write(`${new Date(entry.time).toISOString()} ${entry.level.padEnd(5)} ${entry.msg ?? ""}${run}\n`);
    },
  };
  return { stream, release: () => out.off("error", onError) };
}

/**
 * Opens this process's log (once: a second call replaces the first). Lines written through
 * {@link processLog} go there from now on; before, and in processes that never open one (tests,
 * embedders), they go nowhere.
 */
export async function startProcessLog(options: ProcessLogOptions): Promise<Logger> {
  stopProcessLog();
  const level = options.level ?? "info";
  const file = await pinoRoll({
    file: join(homePaths(options.home).logs, options.process),
    extension: ".log",
    dateFormat: "yyyy-MM-dd",
    frequency: "daily",
    size: options.maxSize ?? "10m",
    limit: { count: options.keep ?? 9, removeOtherLogFiles: true },
    sync: true,
    mkdir: true,
  });
  // The files get what the threshold lets through; the console at least `info` (the server's
  // address and its stops are always shown), everything when the threshold is `debug`.
  const fileLevel: Level = level === "silent" ? "fatal" : level;
  const consoleLevel: Level = level === "debug" ? "debug" : "info";
  const streams: { level: Level; stream: DestinationStream }[] = [{ level: fileLevel, stream: file }];
  const printed = options.console && consoleStream(options.console, consoleClosed);
  if (printed) streams.push({ level: consoleLevel, stream: printed.stream });
  const root = pino(
    {
      level: options.console && level !== "debug" ? "info" : fileLevel,
      base: { pid: process.pid, process: options.process },
      // Level names, not numbers: the files are read by people and by the viewer's filter.
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  );
  const opened: ActiveLog = { root, file, release: () => printed?.release() };
  // A write that fails (a full disk, a removed folder) ends the process log, said once on stderr,
  // rather than crashing the process that was logging.
  file.on("error", (error: unknown) => {
    if (active !== opened) return;
    active = undefined;
    process.stderr.write(`trawl: warning: the process log stopped: ${String(error)}\n`);
  });
  active = opened;
  return root;
}

/** The console stopped taking lines: the files go on, and say so. */
function consoleClosed(error: unknown): void {
  const code = (error as { code?: unknown }).code;
  const why = typeof code === "string" ? code : String(error);
  processLog("log").warn(`the console (stderr) closed (${why}): lines go to the process log only`);
}

/**
 * The logger of one component of this process (`server`, `scheduler`, `engine`, `run`, `cli`…),
 * with the run it concerns: every line carries both. Silent while no process log is open.
 */
export function processLog(component: string, runId?: string): Logger {
  if (!active) return silent;
  return active.root.child(runId === undefined ? { component } : { component, runId });
}

/** Whether a process log is open (so callers can skip building lines nobody writes). */
export function processLogOpen(): boolean {
  return active !== undefined;
}

/** Closes this process's log; later lines go nowhere. */
export function stopProcessLog(): void {
  if (!active) return;
  const { file } = active;
  active.release();
  active = undefined;
  try {
    file.flushSync();
    file.end();
  } catch {
    // Nothing left to write to: the lines written so far are on disk (writes are synchronous).
  }
}
