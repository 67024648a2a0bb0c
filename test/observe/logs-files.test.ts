/** Reading the process logs from their ends: every process's rotated files merged by time. */
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  listLogFiles,
  processLog,
  processLogOpen,
  readLastLogLines,
  startProcessLog,
  stopProcessLog,
} from "../../src/observe/index.ts";

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

describe("the process log's rotation", () => {
  it("rotates by size and keeps a bounded number of files, the newest lines readable", async () => {
    home = mkdtempSync(join(tmpdir(), "trawl-logs-"));
    // pino-roll sizes: "1k" is 1 KB; two old files kept besides the current one.
    await startProcessLog({ home, process: "serve", maxSize: "1k", keep: 2 });
    try {
      for (let i = 0; i < 200; i++) {
        processLog("server").info(`line ${i} ${"y".repeat(40)}`);
        // Rotation happens on the stream's next turn; old files are removed after it.
        if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      stopProcessLog();
    }
    const files = listLogFiles(home);
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(files.length).toBeLessThanOrEqual(3);
    for (const file of files) expect(file).toMatch(/serve\.\d{4}-\d{2}-\d{2}\.\d+\.log$/);
    const last = readLastLogLines(home, 3).map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(last.map((msg) => msg.split(" ").slice(0, 2).join(" "))).toEqual([
      "line 197",
      "line 198",
      "line 199",
    ]);
  });
});

describe("a process log whose file fails", () => {
  it("stops, says so once, and never throws into the code that logs", async () => {
    home = mkdtempSync(join(tmpdir(), "trawl-logs-"));
    await startProcessLog({ home, process: "cli" });
    processLog("cli").info("before");
    // The file's descriptor closed under the logger: its next write fails (EBADF), as on a lost disk.
    const fd = readdirSync("/proc/self/fd").find((entry) => {
      try {
        return readlinkSync(`/proc/self/fd/${entry}`).startsWith(join(home!, "logs"));
      } catch {
        return false;
      }
    });
    expect(fd).toBeDefined();
    closeSync(Number(fd));
    const warnings: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) =>
      warnings.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      expect(() => processLog("cli").info("after")).not.toThrow();
      expect(() => processLog("cli").info("and after")).not.toThrow();
    } finally {
      process.stderr.write = write;
      stopProcessLog();
    }
    expect(processLogOpen()).toBe(false);
    expect(warnings.filter((w) => w.includes("the process log stopped"))).toHaveLength(1);
    expect(readLastLogLines(home, 5).map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      "before",
    ]);
  });
});
