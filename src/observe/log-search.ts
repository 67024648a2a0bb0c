/**
 * Searching the process logs for the viewer (GET /api/logs): the newest lines matching a level, a
 * component, a run and a text, read from the files' ends (log-files.ts) and stopped at a bound.
 */
import type { ProcessLogEntry, ProcessLogLevel, ProcessLogPage } from "../core/contract/logs.ts";
import { newestLogLines } from "./log-files.ts";

/** What to look for; every criterion given must hold. */
export interface LogSearch {
  /** Lines at or above this level. */
  level?: ProcessLogLevel;
  /** Lines of exactly this component (`server`, `run`…). */
  component?: string;
  /** Lines of this run. */
  runId?: string;
  /** Lines whose message or details contain this text (case-insensitive). */
  text?: string;
  /** At most this many lines (the newest). @defaultValue 200 */
  limit?: number;
  /** Stop after reading this many lines, matching or not. @defaultValue 200000 */
  scanLimit?: number;
}

const RANK: Record<ProcessLogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, fatal: 4 };

/** Fields every line has; the rest are the line's details. */
const OWN_FIELDS = new Set(["level", "time", "pid", "process", "component", "runId", "msg"]);

/** One raw JSON line as the API serves it; `undefined` for a line that is not one of pino's. */
export function parseLogLine(line: string): ProcessLogEntry | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const level = raw.level as ProcessLogLevel;
  if (typeof raw.time !== "number" || !(level in RANK)) return undefined;
  const details = Object.fromEntries(Object.entries(raw).filter(([key]) => !OWN_FIELDS.has(key)));
  return {
    at: new Date(raw.time).toISOString(),
    level,
    process: typeof raw.process === "string" ? raw.process : "",
    pid: typeof raw.pid === "number" ? raw.pid : 0,
    component: typeof raw.component === "string" ? raw.component : "",
    runId: typeof raw.runId === "string" ? raw.runId : null,
    message: typeof raw.msg === "string" ? raw.msg : "",
    details: Object.keys(details).length > 0 ? JSON.stringify(details) : null,
  };
}

function matches(entry: ProcessLogEntry, search: LogSearch, text: string | undefined): boolean {
  if (search.level && RANK[entry.level] < RANK[search.level]) return false;
  if (search.component && entry.component !== search.component) return false;
  if (search.runId && entry.runId !== search.runId) return false;
  if (text && !`${entry.message}\n${entry.details ?? ""}`.toLowerCase().includes(text)) return false;
  return true;
}

/**
 * The newest lines of the data directory's process logs that match `search`, oldest first.
 * `truncated`: the scan bound stopped the search before the oldest line.
 */
export function searchLogs(home: string, search: LogSearch = {}): ProcessLogPage {
  const limit = search.limit ?? 200;
  const scanLimit = search.scanLimit ?? 200_000;
  const text = search.text?.toLowerCase();
  const lines: ProcessLogEntry[] = [];
  let scanned = 0;
  let truncated = false;
  for (const line of newestLogLines(home)) {
    if (scanned >= scanLimit) {
      truncated = true;
      break;
    }
    scanned++;
    const entry = parseLogLine(line);
    if (entry && matches(entry, search, text)) lines.push(entry);
    if (lines.length >= limit) break;
  }
  return { lines: lines.reverse(), scanned, truncated };
}
