/**
 * Runs one command as a child process and measures it from the outside: wall time (spawn → exit),
 * CPU seconds and peak RSS. Linux only (reads `/proc`).
 *
 * CPU comes from this process's `cutime + cstime` (`/proc/self/stat`), which the kernel raises by
 * a child's whole CPU time when the child is reaped: exact, unlike a poll that misses the child's
 * last moments. That is why only one measured child may run at a time (the demo server, also a
 * child, is reaped only at the very end). Peak RSS is the child's `VmHWM`, polled: it never
 * decreases, so the last sample before exit is the peak to within one poll interval.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/** What {@link measureProcess} observed. */
export interface ProcessMeasurement {
  exitCode: number | null;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** Everything the child wrote on stdout. */
  stdout: string;
  /** The last 4 KB the child wrote on stderr (for error messages). */
  stderrTail: string;
}

/** Options of {@link measureProcess}. */
export interface MeasureOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** @defaultValue 50 */
  pollMs?: number;
}

let clockTicks: number | undefined;

/** Clock ticks per second of `/proc` CPU times (`getconf CLK_TCK`, 100 almost everywhere). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Fields of `/proc/<pid>/stat` after the command name (which may contain spaces). */
function statFields(pid: number | "self"): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** CPU seconds of this process's reaped children (`cutime + cstime`). */
export function reapedChildrenCpuSeconds(): number {
  // After ")" field 3 (state) is index 0, so cutime (16) and cstime (17) are 13 and 14.
  const fields = statFields("self") ?? [];
  return (Number(fields[13] ?? 0) + Number(fields[14] ?? 0)) / ticksPerSecond();
}

/** `VmHWM` of a process in MB, or `undefined` once it is gone (or a zombie). */
function peakRssMb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `command args` to its exit, polling its peak RSS; never rejects on a non-zero exit. */
export function measureProcess(
  command: string,
  args: string[],
  options: MeasureOptions = {},
): Promise<ProcessMeasurement> {
  const cpuBefore = reapedChildrenCpuSeconds();
  const started = performance.now();
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let peak = 0;
  const sample = () => {
    if (child.pid !== undefined) peak = Math.max(peak, peakRssMb(child.pid) ?? 0);
  };
  const poll = setInterval(sample, options.pollMs ?? 50);
  const stdout: Buffer[] = [];
  let stderrTail = "";
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString("utf8")).slice(-4096);
  });
  let exitedAt: number | undefined;
  child.once("exit", () => {
    exitedAt = performance.now();
  });
  return new Promise((resolve, reject) => {
    child.once("error", (error) => {
      clearInterval(poll);
      reject(error);
    });
    child.once("close", (code) => {
      clearInterval(poll);
      resolve({
        exitCode: code,
        wallSeconds: ((exitedAt ?? performance.now()) - started) / 1000,
        cpuSeconds: reapedChildrenCpuSeconds() - cpuBefore,
        peakRssMb: peak,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderrTail,
      });
    });
  });
}
