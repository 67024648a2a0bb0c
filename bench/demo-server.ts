/**
 * The bench's site in its own process (`site-server.ts`), so the server's CPU never counts
 * against what is measured (and, on a small machine, the two compete for cores the way a real
 * remote site would not).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { SiteShape } from "./site-server.ts";

/** A demo site running in a child process. */
export interface DemoServerProcess {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  origin: string;
  /** Stops the server (SIGINT, then SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
}

/** Which site to serve. */
export interface BenchSiteOptions {
  /** forward: the demo bookshop (links point forward only); links: `link-catalogue.ts`. */
  shape: SiteShape;
  /** Books per category (forward) or products in all (links). */
  size: number;
  /** Every answer is held back this long. @defaultValue 0 */
  latencyMs?: number;
  /** Requests served at once, the rest queued (latency rises with load). @defaultValue no limit */
  capacity?: number;
  /** A request arriving while this many are served gets a 429. @defaultValue never */
  throttleAbove?: number;
}

const SERVE_SCRIPT = fileURLToPath(new URL("./site-server.ts", import.meta.url));
const LISTENING = /listening on (http:\/\/\S+)/;

/** Starts the demo bookshop, without faults and latency (the forward shape). */
export function startDemoServer(booksPerCategory: number): Promise<DemoServerProcess> {
  return startBenchSite({ shape: "forward", size: booksPerCategory });
}

/** Starts `site-server.ts` on a free loopback port and waits until it listens. */
export async function startBenchSite(options: BenchSiteOptions): Promise<DemoServerProcess> {
  const args = [
    "--shape",
    options.shape,
    "--size",
    String(options.size),
    "--latency",
    String(options.latencyMs ?? 0),
    "--capacity",
    String(options.capacity ?? 0),
    "--throttle-above",
    String(options.throttleAbove ?? 0),
  ];
  const child = spawn(process.execPath, ["--import", "tsx", SERVE_SCRIPT, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const origin = await listeningOrigin(child);
  let stopping: Promise<void> | undefined;
  return { origin, stop: () => (stopping ??= stopServer(child)) };
}

function listeningOrigin(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      const match = LISTENING.exec(seen);
      if (match?.[1] === undefined) return;
      child.stderr?.off("data", onData);
      child.stderr?.resume();
      resolve(match[1]);
    };
    child.stderr?.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`demo server exited early (${code}): ${seen.trim()}`)));
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}
