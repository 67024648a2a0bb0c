/**
 * Shared helpers of the CLI end-to-end tests: spawn the real `trawl` command (`node bin/trawl.js`)
 * as a child process with its own `TRAWL_HOME`, collect its output and exit code, and clean up
 * every process, temp dir and demo site after the test file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { readExample, startDemoSite, type DemoSite, type DemoSiteOptions } from "../../src/demo/index.ts";

/** The repository root: the cwd of every spawned command. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(REPO_ROOT, "bin", "trawl.js");

/** How long a command may take before the test kills it and fails. */
const DEFAULT_TIMEOUT_MS = 30_000;

/** A finished command. `code` is null only when a signal killed it. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Where and how long to run a command. */
export interface CliOptions {
  /** The `TRAWL_HOME` of the command. */
  home: string;
  /** Killed (SIGKILL) and rejected after this long. @defaultValue 30 s */
  timeoutMs?: number;
  /** More environment variables of the command. */
  env?: Record<string, string>;
  /** Written to the command's stdin, which is then closed; none: stdin is /dev/null. */
  input?: string;
}

/** A command still running, started with {@link startCli}. */
export interface CliProcess {
  child: ChildProcess;
  /** Settles when the process exits; rejects on timeout. */
  result: Promise<CliResult>;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the first match of `pattern` in stderr; rejects on exit or timeout first. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

const running = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];

// Cleanup is per file, not per test: tests of a file may run concurrently (`describe.concurrent`),
// and every process, temp dir and site is private to the test that made it.
afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts `trawl ARGS…` and returns at once. The process is killed after the test file if still alive. */
export function startCli(args: string[], options: CliOptions): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, TRAWL_HOME: options.home, TRAWL_DEBUG: "", ...options.env },
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  running.add(child);
  let stdout = "";
  let stderr = "";
  const stderrListeners = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    for (const listener of stderrListeners) listener();
  });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const result = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`trawl ${args.join(" ")} did not finish in ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    child.once("error", reject);
    // "close", not "exit": every byte of stdout and stderr has been read by then.
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  // Callers that only use waitForStderr still get the timeout error, not an unhandled rejection.
  result.catch(() => {});
  const waitForStderr = (pattern: RegExp, waitMs = timeoutMs) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stderr.match(pattern);
        if (!match) return;
        done();
        resolve(match);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} on stderr after ${waitMs} ms; stderr:\n${stderr}`));
      }, waitMs);
      const done = () => {
        clearTimeout(timer);
        stderrListeners.delete(check);
      };
      stderrListeners.add(check);
      void result.then((r) => {
        if (!stderrListeners.has(check)) return;
        done();
        reject(new Error(`trawl exited (${r.code}) before ${pattern} appeared; stderr:\n${r.stderr}`));
      });
      check();
    });
  return { child, result, stderr: () => stderr, waitForStderr };
}

/** Runs `trawl ARGS…` to the end. */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).result;
}

/**
 * Parses stdout as the one JSON document a `--json` command promises: fails when stdout holds
 * anything else (a second document, a progress line).
 */
export function parseJson<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch (error) {
    throw new Error(
      `stdout is not exactly one JSON document (${(error as Error).message}):\n${result.stdout}\n` +
        `stderr:\n${result.stderr}`,
    );
  }
}

/** A fresh temp dir, removed after the test file. Holds `home/` (the TRAWL_HOME) and written files. */
export async function makeWorkDir(): Promise<{ dir: string; home: string }> {
  const dir = await mkdtemp(join(tmpdir(), "trawl-cli-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return { dir, home: join(dir, "home") };
}

/** Starts a demo site on a free port, closed after the test file. */
export async function startSite(options: Omit<DemoSiteOptions, "port"> = {}): Promise<DemoSite> {
  const site = await startDemoSite({ port: 0, ...options });
  cleanups.push(() => site.close());
  return site;
}

/**
 * Writes `examples/<name>.yaml` pointed at `site` into `dir` and returns its path. `extra` is
 * appended as top-level YAML (e.g. a `politeness:` block to slow a run down).
 */
export async function writeExample(
  dir: string,
  name: string,
  site: DemoSite,
  extra = "",
  file = `${name}.yaml`,
): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, (await readExample(name, site.url)) + extra);
  return path;
}

/** Writes `text` to `dir/file` and returns the path. */
export async function writeText(dir: string, file: string, text: string): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, text);
  return path;
}

/** The run id a running `trawl run` announces on stderr (`run RUN-… started`). */
export async function runIdOf(process: CliProcess): Promise<string> {
  const match = await process.waitForStderr(/run (RUN-\d{8}-[0-9A-F]{6}) (started|resumed)/);
  return match[1]!;
}
