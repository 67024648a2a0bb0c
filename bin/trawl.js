#!/usr/bin/env node
// Runs the bundle `npm ci` built (scripts/build-cli.mjs) while no source is newer than it, else
// the TypeScript sources through tsx: `npx trawl` works right after `npm ci` and after any edit.
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = `${root}dist/cli/main.js`;

/** Modification time of the newest file below `dir`. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      latest = Math.max(latest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
  }
  return latest;
}

// TRAWL_FROM_SOURCE is decided here, before any TypeScript loads; its values are the on/off
// switch of src/core/config.ts (which checks them, and refuses others, once trawl starts).
const fromSource = /^(1|true|yes|on)$/i.test((process.env.TRAWL_FROM_SOURCE ?? "").trim());

function bundleIsCurrent() {
  if (fromSource) return false;
  try {
    return statSync(bundle).mtimeMs >= newest(`${root}src`);
  } catch {
    return false; // no bundle (yet)
  }
}

if (bundleIsCurrent()) {
  await import(bundle);
} else {
  // Both hooks: a definition of a folder without "type": "module" loads as CommonJS. The symbol
  // tells src/pipeline/load-code.ts they are in place.
  (await import("tsx/esm/api")).register();
  (await import("tsx/cjs/api")).register();
  process[Symbol.for("trawl.tsx-registered")] = true;
  await import("../src/cli/main.ts");
}
