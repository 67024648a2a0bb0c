/**
 * Bundles the CLI (and the worker threads it starts) into `dist/cli/`, run by `npm ci` through
 * `prepare`. `bin/trawl.js` uses the bundle while no source is newer, else the sources through
 * tsx: a command then starts in about half the time (modules loaded through tsx's loader cost
 * ≈ 0.5 s per process), and an edited source is never shadowed by a stale bundle.
 *
 * Entries and chunks all land in `dist/cli/`, two folders below the root like `src/<layer>/`, so
 * paths relative to a module (`../../ui/dist/`, `../../examples/`) hold in both.
 */
import { build } from "esbuild";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/cli`;
await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    main: "src/cli/main.ts",
    // Started by `spawnWorker(siblingModule(…))`: beside the chunk that starts them.
    "queue-worker": "src/store/queue-worker.ts",
    "parse-worker": "src/engine/parse-worker.ts",
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  chunkNames: "chunk-[hash]",
  sourcemap: "linked",
  logLevel: "warning",
});
