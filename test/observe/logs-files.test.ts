/** Reading the process logs from their ends: every process's rotated files merged by time. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readLastLogLines } from "../../src/observe/index.ts";

let home: string | undefined;
afterEach(() => {
  if (home) rmSync(home, { recursive: true, force: true });
  home = undefined;
});

/** A pino-like line; the message holds multi-byte characters so chunk edges fall inside some. */
function line(process: string, time: number): string {
  return JSON.stringify({ level: 30, time, component: process, msg: `ligne ${time} é€😀 ${"x".repeat(60)}` });
}

describe("readLastLogLines", () => {
  it("merges every process's rotated files by time, newest last, across chunk edges", () => {
    home = mkdtempSync(join(tmpdir(), "trawl-logs-"));
    const dir = join(home, "logs");
    mkdirSync(dir);
    // serve: even times over two rotated files (4,000 lines, over 64 KB each); cli: odd times.
    const even = Array.from({ length: 4000 }, (_, i) => 2 * i);
    const write = (name: string, times: number[], mtime: number) => {
      writeFileSync(join(dir, name), times.map((t) => line(name.split(".")[0]!, t) + "\n").join(""));
      utimesSync(join(dir, name), mtime, mtime);
    };
    write("serve.2026-12-06.1.log", even.slice(0, 2000), 1000);
    write("serve.2026-12-06.2.log", even.slice(2000), 3000);
    write(
      "cli.2026-12-06.2.log",
      even.map((t) => t + 1),
      2000,
    );
    writeFileSync(join(dir, "notes.txt"), "not a log\n");

    const last = readLastLogLines(home, 5000);
    expect(last).toHaveLength(5000);
    const times = last.map((l) => (JSON.parse(l) as { time: number }).time);
    expect(times).toEqual(Array.from({ length: 5000 }, (_, i) => 3000 + i));
    expect(readLastLogLines(home, 20_000)).toHaveLength(8000);
    expect(readLastLogLines(home, 0)).toEqual([]);
  });

  it("reads nothing when there is no log folder, and a last line cut short by a crash", () => {
    home = mkdtempSync(join(tmpdir(), "trawl-logs-"));
    expect(readLastLogLines(home, 10)).toEqual([]);
    mkdirSync(join(home, "logs"));
    writeFileSync(join(home, "logs", "cli.2026-12-06.1.log"), `${line("cli", 1)}\n{"level":50,"ti`);
    expect(readLastLogLines(home, 10)).toEqual([line("cli", 1), '{"level":50,"ti']);
  });
});
