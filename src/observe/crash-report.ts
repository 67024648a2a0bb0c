/**
 * Crash reports (docs/logs.md): an uncaught exception or an unhandled rejection in a trawl process
 * is written to `$TRAWL_HOME/crashes/<id>.json` (the stack, the version, the command line redacted,
 * the runs it was executing, the last process log lines) before the process exits non-zero. Its
 * runs are left as they were: the engine finds them interrupted and `trawl resume` continues them.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { homePaths, TRAWL_VERSION } from "../core/index.ts";
import type { CrashReport, CrashSummary } from "../core/contract/logs.ts";
import { redactArgv } from "./crash-report-redact.ts";
import { readLastLogLines } from "./log-files.ts";
import { executingRunIds } from "./process-log-mirror.ts";
import { processLog, stopProcessLog } from "./process-log.ts";

/** Process log lines a report keeps. */
export const CRASH_LOG_LINES = 200;
/** Reports kept in `crashes/`; older ones are removed as new ones come. */
export const CRASH_REPORTS_KEPT = 50;

const REPORT_ID = /^crash-\d{8}T\d{6}\d{3}Z-\d+$/;

/** How a process reports its crashes. */
export interface CrashHandlerOptions {
  home: string;
  /** Which process: `serve`, `scheduler`, `cli`. */
  process: string;
  /**
   * Exit (code 1) after writing the report. `false`: `trawl serve` writes it and goes on, so a
   * scraper's stray exception does not stop every other run. @defaultValue true
   */
  exit?: boolean;
  /**
   * Also print the stack and where the report is on stderr (asked at the crash: not when the
   * process log prints there already). @defaultValue true
   */
  printPath?: boolean | (() => boolean);
}

type Origin = CrashReport["kind"];

function describeThrown(thrown: unknown): CrashReport["error"] {
  if (thrown instanceof Error)
    return { name: thrown.name, message: thrown.message, stack: thrown.stack ?? String(thrown) };
  const text = typeof thrown === "string" ? thrown : (JSON.stringify(thrown) ?? String(thrown));
  return { name: typeof thrown, message: text, stack: text };
}

/** `crash-20261206T084001123Z-4242`: sorts by time. */
function reportId(at: Date, pid: number): string {
  return `crash-${at.toISOString().replace(/[-:.]/g, "")}-${pid}`;
}

/** Builds the report of `thrown` now (the last log lines included, the crash's own line too). */
export function buildCrashReport(
  thrown: unknown,
  kind: Origin,
  options: Pick<CrashHandlerOptions, "home" | "process" | "exit">,
): CrashReport {
  const at = new Date();
  const error = describeThrown(thrown);
  return {
    id: reportId(at, process.pid),
    at: at.toISOString(),
    kind,
    exited: options.exit ?? true,
    process: options.process,
    pid: process.pid,
    message: error.message,
    runIds: executingRunIds(),
    error,
    version: TRAWL_VERSION,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    command: redactArgv(process.argv.slice(2)),
    logLines: readLastLogLines(options.home, CRASH_LOG_LINES),
  };
}

/** Writes `report` (synchronously: the process is about to exit) and prunes old ones; returns its path. */
export function writeCrashReport(home: string, report: CrashReport): string {
  const dir = homePaths(home).crashes;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${report.id}.json`);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
  for (const old of reportIds(home).slice(CRASH_REPORTS_KEPT))
    rmSync(join(dir, `${old}.json`), { force: true });
  return path;
}

/** The ids of the reports in `crashes/`, newest first. */
function reportIds(home: string): string[] {
  try {
    return readdirSync(homePaths(home).crashes)
      .filter((name) => name.endsWith(".json") && REPORT_ID.test(name.slice(0, -5)))
      .map((name) => name.slice(0, -5))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

/** One report; `undefined` when there is none by that id (or it is not a report's id). */
export function readCrashReport(home: string, id: string): CrashReport | undefined {
  if (!REPORT_ID.test(id)) return undefined;
  try {
    return JSON.parse(readFileSync(join(homePaths(home).crashes, `${id}.json`), "utf8")) as CrashReport;
  } catch {
    return undefined;
  }
}

/** The newest `limit` crash reports in short, newest first (unreadable files skipped). */
export function listCrashReports(home: string, limit = CRASH_REPORTS_KEPT): CrashSummary[] {
  const summaries: CrashSummary[] = [];
  for (const id of reportIds(home)) {
    const report = readCrashReport(home, id);
    if (!report) continue;
    const { at, kind, exited, process: name, pid, message, runIds } = report;
    summaries.push({ id, at, kind, exited, process: name, pid, message, runIds });
    if (summaries.length >= limit) break;
  }
  return summaries;
}

/**
 * Reports this process's uncaught exceptions and unhandled rejections (Node raises an unhandled
 * rejection as an uncaught exception of origin `unhandledRejection` while nobody listens for
 * rejections): the line goes to the process log, the report to `crashes/`, then the process exits
 * with 1 (unless `exit: false`). A crash while reporting one exits at once. Returns the uninstaller.
 */
export function installCrashHandler(options: CrashHandlerOptions): () => void {
  let reporting = false;
  const handler = (thrown: unknown, origin: NodeJS.UncaughtExceptionOrigin) => {
    if (reporting) process.exit(1);
    reporting = true;
    try {
      const kind: Origin = origin === "unhandledRejection" ? "unhandledRejection" : "uncaughtException";
      const { stack } = describeThrown(thrown);
      processLog("crash").fatal(`uncaught: ${stack}`);
      const path = writeCrashReport(options.home, buildCrashReport(thrown, kind, options));
      processLog("crash").info(`crash report: ${path}`);
      const print = options.printPath ?? true;
      if (typeof print === "boolean" ? print : print())
        process.stderr.write(`trawl crashed: ${stack}\ncrash report: ${path}\n`);
    } catch (error) {
      process.stderr.write(`trawl crashed, and its crash report failed: ${String(error)}\n`);
    }
    if (options.exit ?? true) {
      stopProcessLog();
      process.exit(1);
    }
    reporting = false;
  };
  process.on("uncaughtException", handler);
  return () => process.off("uncaughtException", handler);
}
