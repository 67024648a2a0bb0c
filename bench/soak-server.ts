/**
 * The soak's subject: a real `trawl serve` process (node bin/trawl.js) on its own data directory,
 * and what it looks like from outside: resident memory, V8 heap and open handles (its `/metrics`)
 * and open files (`/proc/<pid>/fd`, Linux). Shared by `npm run soak` (bench/soak.ts) and the
 * compressed soak test (test/observe/soak.test.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/trawl.js", import.meta.url));
const GC_HOOK = fileURLToPath(new URL("./soak-gc-hook.mjs", import.meta.url));
const LISTENING = /trawl is at (http:\/\/127\.0\.0\.1:\d+)/;
const MB = 1024 * 1024;

/** What the server process uses at one instant. */
export interface ProcessFigures {
  /** Milliseconds since the soak began. */
  at: number;
  rssMb: number;
  heapMb: number;
  /**
   * V8's code space (committed): the machine code its compilers made. Part of RSS, outside the
   * heap in use's growth story: it grows while V8 still compiles code the runs execute.
   */
  codeMb: number;
  /**
   * V8's heap committed, every space (code included): what of RSS V8 holds, used or not. RSS
   * less this is native memory (malloc: SQLite, HTTP parsers, zlib; thread stacks; the binary).
   */
  v8Mb: number;
  /**
   * Active handles and resources: sockets, servers, files, pending requests and each timer
   * (`nodejs_active_resources_total`; `nodejs_active_handles_total` leaves timers out).
   */
  handles: number;
  /** Open file descriptors (`/proc/<pid>/fd`); null where there is no /proc. */
  fds: number | null;
}

/** Options of {@link startSoakServer}. */
export interface SoakServerOptions {
  /** The data directory (`TRAWL_HOME`). */
  home: string;
  /** The folder of the scrapers the server lists. */
  scrapers: string;
  /** Run the scheduler in the server. @defaultValue true */
  scheduler?: boolean;
  /** More environment variables. */
  env?: Record<string, string>;
  /**
   * Collect garbage (a full collection, through bench/soak-gc-hook.mjs) before each reading of the
   * figures, so the heap read is what is live. @defaultValue true
   */
  collect?: boolean;
}

/** A running `trawl serve`. */
export interface SoakServer {
  url: string;
  pid: number;
  /** Calls the API with the access token; the body as JSON. */
  api<T = Record<string, unknown>>(path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** The server's memory, handles and open files now. */
  figures(startedAt: number): Promise<ProcessFigures>;
  /** Everything it wrote on stderr. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 15 s. Idempotent. */
  stop(): Promise<void>;
}

/** Starts `trawl serve --port 0` and waits until it listens (up to 60 s). */
export async function startSoakServer(options: SoakServerOptions): Promise<SoakServer> {
  const args = ["serve", "--port", "0", "--scrapers", options.scrapers];
  if (options.scheduler === false) args.push("--no-scheduler");
  const collect = options.collect ?? true;
  const nodeOptions = [process.env.NODE_OPTIONS ?? "", collect ? `--expose-gc --import ${GC_HOOK}` : ""];
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      ...process.env,
      TRAWL_HOME: options.home,
      TRAWL_DEBUG: "",
      NODE_OPTIONS: nodeOptions.join(" ").trim(),
      ...options.env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    // Only the start is needed, and the tail for errors: never an unbounded buffer in a soak.
    stderr = (stderr + chunk).slice(-64 * 1024);
  });
  const url = await listening(child, () => stderr);
  const token = readFileSync(join(options.home, "access-token"), "utf8").trim();
  const headers = { authorization: `Bearer ${token}` };
  const api: SoakServer["api"] = async (path, body) => {
    const response = await fetch(`${url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as never };
  };
  let stopped: Promise<void> | undefined;
  return {
    url,
    pid: child.pid!,
    api,
    async figures(startedAt) {
      if (collect) {
        child.kill("SIGUSR2");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const text = await (await fetch(`${url}/metrics`, { headers })).text();
      return {
        at: Date.now() - startedAt,
        rssMb: gauge(text, "process_resident_memory_bytes") / MB,
        heapMb: gauge(text, "nodejs_heap_size_used_bytes") / MB,
        codeMb: gauge(text, 'nodejs_heap_space_size_total_bytes{space="code"}') / MB,
        v8Mb: gauge(text, "nodejs_heap_size_total_bytes") / MB,
        handles: gauge(text, "nodejs_active_resources_total"),
        fds: openFiles(child.pid!),
      };
    },
    stderr: () => stderr,
    stop: () => (stopped ??= stop(child)),
  };
}

/** The server's URL once it says it listens; rejects when it exits first or after 60 s. */
function listening(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`trawl serve did not listen in 60 s:\n${stderr()}`)),
      60_000,
    );
    const check = () => {
      const match = stderr().match(LISTENING);
      if (match) done(() => resolve(match[1]!));
    };
    const fail = (error: Error) => done(() => reject(error));
    const exited = (code: number | null) => fail(new Error(`trawl serve exited (${code}):\n${stderr()}`));
    const done = (settle: () => void) => {
      clearTimeout(timer);
      child.stderr!.off("data", check);
      child.off("exit", exited);
      settle();
    };
    child.stderr!.on("data", check);
    child.once("exit", exited);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

/** The value of a gauge in Prometheus text (`name` with its labels, if any); NaN when absent. */
function gauge(text: string, name: string): number {
  const match = text.match(new RegExp(`^${name.replace(/[{}]/g, "\\$&")} (\\S+)`, "m"));
  return match ? Number(match[1]) : Number.NaN;
}

/** How many file descriptors `pid` holds open; null without /proc. */
export function openFiles(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}
