/**
 * Bundles the CLI (and the worker threads it starts) into `dist/cli/`, run by `npm ci` through
 * `prepare`. `bin/trawl.js` uses the bundle while no source is newer, else the sources through
 * tsx: a command then starts in about half the time (modules loaded through tsx's loader cost
 * ≈ 0.5 s per process), and an edited source is never shadowed by a stale bundle.
 *
 * Dependencies are bundled too. Loaded from `node_modules`, `trawl run` opened some 870 module
 * files (typebox alone 374) in each process and again in each worker thread: 0.7 CPU s and
 * 140 MB before the first request. Bundled, a one-page run costs 0.43 CPU s, and a 3,000-product
 * crawl 7 % less CPU and 60 MB less peak memory (bench/README.md). `EXTERNAL` lists what stays in
 * `node_modules`.
 *
 * Entries and chunks all land in `dist/cli/`, two folders below the root like `src/<layer>/`, so
 * paths relative to a module (`../../ui/dist/`, `../../examples/`) hold in both.
 */
import { build } from "esbuild";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/**
 * Packages that find files of their own at run time, so they must stay where npm put them: native
 * addons (better-sqlite3, @node-rs/argon2 with its prebuilt binary), browser and driver files (playwright-core, @sparticuz/chromium),
 * the app's static files (fastify's plugins; fastify itself only loads for `trawl serve`), tsx,
 * which loads users' TypeScript hooks, and proxy (the demo's proxy), which reads its own
 * package.json.
 */
const EXTERNAL = [
  "better-sqlite3",
  "playwright-core",
  "@sparticuz/chromium",
  "fastify",
  "@fastify/*",
  "tsx",
  "proxy",
  "@node-rs/argon2",
];

/**
 * Bundled CommonJS packages (undici, commander …) `require` Node's modules, which an ES module
 * has no `require` for: each chunk gets one.
 */
const REQUIRE_SHIM =
  'import { createRequire as __trawlRequire } from "node:module"; const require = __trawlRequire(import.meta.url);';

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/cli`;
await rm(outdir, { recursive: true, force: true });
/** What every bundle shares. */
const COMMON = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: EXTERNAL,
  banner: { js: REQUIRE_SHIM },
  sourcemap: "linked",
  logLevel: "warning",
};

// The command, split into chunks that its commands load on demand.
await build({
  ...COMMON,
  entryPoints: { main: "src/cli/main.ts" },
  splitting: true,
  chunkNames: "chunk-[hash]",
});

// Each worker thread in a bundle of its own (started by `spawnWorker(siblingModule(…))`, beside the
// chunk that starts them), holding only what the thread uses. Split together with the command, a
// worker loaded every module it shares a file with: core's index brings the configuration's
// schema, so each thread evaluated zod (≈ 760 KB, 30 ms and 5 MB of heap) without using it.
for (const [name, entry] of Object.entries({
  "queue-worker": "src/store/queue-worker.ts",
  "parse-worker": "src/pipeline/parse-worker.ts",
})) {
  await build({ ...COMMON, entryPoints: { [name]: entry } });
}
