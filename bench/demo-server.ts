/**
 * The demo site in its own process, so the server's CPU never counts against what is measured
 * (and, on a small machine, the two compete for cores the way a real remote site would not).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

/** A demo site running in a child process. */
export interface DemoServerProcess {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  origin: string;
  /** Stops the server (SIGINT, then SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
}

const SERVE_SCRIPT = fileURLToPath(new URL("../src/demo/serve.ts", import.meta.url));
const LISTENING = /listening on (http:\/\/\S+)/;

/** Starts `src/demo/serve.ts` on a free loopback port, without faults, and waits until it listens. */
export async function startDemoServer(booksPerCategory: number): Promise<DemoServerProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", SERVE_SCRIPT, "--port", "0", "--books", String(booksPerCategory), "--no-faults"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
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
