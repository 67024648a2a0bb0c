import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

/**
 * Starts a worker thread on `entry`, a module next to the caller. From TypeScript sources (run
 * through tsx) the thread registers tsx before loading its entry, as a worker does not inherit
 * the loader the main thread registered.
 *
 * @param entry - The entry module's URL, as `new URL("./x.ts", import.meta.url)` in the caller.
 * @param resourceLimits - The thread's heap sizes, when its defaults would hold more than it needs.
 */
export function spawnWorker(entry: URL, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const options = { workerData, ...(resourceLimits && { resourceLimits }) };
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry, options);
  const tsx = tsxApiUrl();
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}

/** `./name.ts` beside `callerUrl` when running from sources, else `./name.js`. */
export function siblingModule(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith(".ts") ? ".ts" : ".js"}`, callerUrl);
}

function tsxApiUrl(): string {
  if (typeof import.meta.resolve === "function") return import.meta.resolve("tsx/esm/api");
  // Test runners that transform modules themselves may lack import.meta.resolve.
  const cjs = createRequire(import.meta.url).resolve("tsx/esm/api");
  return pathToFileURL(cjs.replace(/\.cjs$/, ".mjs")).href;
}
