/**
 * Reading the process logs of a data directory (`$TRAWL_HOME/logs/`, docs/logs.md) from the end:
 * the newest lines first, across every process's rotated files, in bounded memory (one chunk per
 * open file), so a viewer or a diagnostics bundle never loads whole files.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { homePaths } from "../core/index.ts";

/**
 * A process log file's name: `<process>.<yyyy-MM-dd>.<n>.log` (the process: `serve`,
 * `scheduler` or `cli`; the day it was opened; pino-roll's number, rising as it rotates).
 */
export const LOG_FILE_NAME = /^([a-z][a-z0-9-]*)\.(\d{4}-\d{2}-\d{2})\.(\d+)\.log$/;

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** One log file: where it is and when it was last written. */
interface LogFile {
  path: string;
  name: string;
  mtimeMs: number;
}

/**
 * The log files of a data directory, oldest first: by last write, then by name (a process
 * appends to its newest file, so its last write orders it); none when there is no log folder.
 */
export function listLogFiles(home: string): string[] {
  const dir = homePaths(home).logs;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files: LogFile[] = [];
  for (const name of names) {
    if (!LOG_FILE_NAME.test(name)) continue;
    try {
      files.push({ path: join(dir, name), name, mtimeMs: statSync(join(dir, name)).mtimeMs });
    } catch {
      // Removed by rotation since the listing.
    }
  }
  files.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name, "en", { numeric: true }));
  return files.map((file) => file.path);
}

/** The lines of one file from its end, read a chunk at a time (raw, without the newline). */
class BackwardLines {
  private readonly fd: number;
  private position: number;
  /** The start of a line whose beginning lies in the chunk not read yet. */
  private partial = Buffer.alloc(0);
  /** Complete lines of the chunk read last, in file order: popped from the end. */
  private lines: string[] = [];

  constructor(path: string) {
    this.fd = openSync(path, "r");
    this.position = fstatSync(this.fd).size;
  }

  /** The line before the one returned last; `undefined` at the file's start. */
  next(): string | undefined {
    while (this.lines.length === 0) {
      if (this.position === 0) {
        const first = this.partial.toString("utf8");
        this.partial = Buffer.alloc(0);
        return first.trim() === "" ? undefined : first;
      }
      const size = Math.min(CHUNK_BYTES, this.position);
      this.position -= size;
      const chunk = Buffer.alloc(size);
      readSync(this.fd, chunk, 0, size, this.position);
      const data = this.partial.length ? Buffer.concat([chunk, this.partial]) : chunk;
      const firstNewline = data.indexOf(NEWLINE);
      // Bytes before the first newline may continue in the chunk before: kept for later (a line
      // longer than a chunk grows there). Splitting on the newline byte never cuts a character.
      if (firstNewline === -1) {
        this.partial = data;
        continue;
      }
      this.partial = data.subarray(0, firstNewline);
      this.lines = data
        .subarray(firstNewline + 1)
        .toString("utf8")
        .split("\n")
        .filter((line) => line.trim() !== "");
    }
    return this.lines.pop();
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** A line's `time` (pino writes it second, as epoch milliseconds); `undefined`: none found. */
function lineTime(line: string): number | undefined {
  const match = /"time":(\d+)/.exec(line);
  return match ? Number(match[1]) : undefined;
}

/** The next line of one file, and the time it is ordered by. */
interface Head {
  reader: BackwardLines;
  line: string;
  time: number;
}

function advance(reader: BackwardLines, newerTime: number): Head | undefined {
  const line = reader.next();
  if (line === undefined) return undefined;
  // A line without a time (cut short by a crash) keeps its place next to its newer neighbour.
  return { reader, line, time: lineTime(line) ?? newerTime };
}

/**
 * Every process log line of a data directory, newest first: the files of all processes merged
 * by their lines' times (a later file wins a tie). Lazy: stop iterating and the files close.
 */
export function* newestLogLines(home: string): Generator<string, void, undefined> {
  const readers: BackwardLines[] = [];
  try {
    const heads: Head[] = [];
    for (const path of listLogFiles(home)) {
      let reader: BackwardLines;
      try {
        reader = new BackwardLines(path);
      } catch {
        continue; // removed by rotation since the listing
      }
      readers.push(reader);
      const head = advance(reader, Number.MAX_SAFE_INTEGER);
      if (head) heads.push(head);
    }
    while (heads.length > 0) {
      let newest = heads.length - 1;
      for (let i = heads.length - 2; i >= 0; i--) if (heads[i]!.time > heads[newest]!.time) newest = i;
      const head = heads[newest]!;
      yield head.line;
      const next = advance(head.reader, head.time);
      if (next) heads[newest] = next;
      else heads.splice(newest, 1);
    }
  } finally {
    for (const reader of readers) reader.close();
  }
}

/**
 * The last `count` raw JSON lines of the data directory's process logs (all processes, rotated
 * files included), oldest first and newest last; fewer when the logs hold fewer, none when there
 * are no logs. Reads from the files' ends, never whole files.
 */
export function readLastLogLines(home: string, count: number): string[] {
  const lines: string[] = [];
  if (count <= 0) return lines;
  for (const line of newestLogLines(home)) {
    lines.push(line);
    if (lines.length >= count) break;
  }
  return lines.reverse();
}
