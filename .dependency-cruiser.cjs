/**
 * The layering of src/ (README.md, "Layout"), checked by `npm run lint`: imports point downward
 * only, layers of one tier import each other only where the map says so, and another layer is
 * reached through its index.ts (its public surface), never around it. The wire contract's leaf
 * files (src/core/contract/*.ts) are public one by one: the web app imports them too.
 *
 * Each layer lists what it may import besides itself. A layer missing from the list may import
 * only core/.
 */
const MAY_IMPORT = {
  core: [],
  store: ["core"],
  extract: ["core"],
  fetch: ["core"],
  datasets: ["core"],
  demo: ["core"],
  // The lock, the audit trail and the secrets vault keep their state in the store.
  security: ["core", "store"],
  // Metrics count the engine's events (core) and read runs and queues at each scrape (store).
  observe: ["core", "store"],
  // The compiler builds extraction specs and fetch settings; parse threads run extract's code.
  pipeline: ["core", "extract", "fetch"],
  // Replay is a fetcher of recorded pages; its highlight reads a page type's field map.
  replay: ["core", "store", "fetch", "extract"],
  engine: ["core", "store", "extract", "fetch", "datasets", "replay", "pipeline"],
  scheduler: ["core", "store", "extract", "fetch", "datasets", "replay", "pipeline"],
  app: [
    "core",
    "store",
    "extract",
    "fetch",
    "datasets",
    "replay",
    "pipeline",
    "engine",
    "scheduler",
    "security",
    "observe",
  ],
  server: [
    "core",
    "store",
    "extract",
    "fetch",
    "datasets",
    "replay",
    "pipeline",
    "engine",
    "scheduler",
    "security",
    "observe",
    "app",
  ],
  // `trawl serve` starts the server; `trawl demo` serves the bundled demo site.
  cli: [
    "core",
    "store",
    "extract",
    "fetch",
    "datasets",
    "replay",
    "pipeline",
    "engine",
    "scheduler",
    "security",
    "observe",
    "app",
    "server",
    "demo",
  ],
};

const layerRules = Object.entries(MAY_IMPORT).map(([layer, allowed]) => ({
  name: `layer-${layer}`,
  comment: `${layer}/ may import only ${[layer, ...allowed].join(", ")} (README.md, "Layout")`,
  severity: "error",
  from: { path: `^src/${layer}/` },
  to: { path: "^src/[^/]+/", pathNot: [`^src/(${[layer, ...allowed].join("|")})/`] },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "through-index",
      comment: "another layer is imported through its index.ts (or a contract file), not around it",
      severity: "error",
      from: { path: "^src/([^/]+)/" },
      to: {
        path: "^src/[^/]+/",
        pathNot: ["^src/$1/", "^src/[^/]+/index\\.ts$", "^src/core/contract/[^/]+\\.ts$"],
      },
    },
    {
      name: "unknown-layer",
      comment: "every folder of src/ is a layer of the map above",
      severity: "error",
      from: { path: "^src/[^/]+/", pathNot: [`^src/(${Object.keys(MAY_IMPORT).join("|")})/`] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
