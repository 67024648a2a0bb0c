export { Engine, type ExecuteHooks, type StartOptions } from "./engine.ts";
export {
  ResourceGovernor,
  defaultCeiling,
  type GovernorOptions,
  type GovernorState,
  type PressureLevel,
} from "./governor.ts";
export type {
  EngineOptions,
  FetcherFactory,
  FetcherSession,
  DatasetPublisher,
  StartDatasetReader,
  SecretOpener,
} from "./types.ts";
export { withShares, type RunStatsSnapshot } from "./run-stats.ts";
export { RESUMABLE, canApply, controlsFor } from "./transitions.ts";
export * from "./errors.ts";
export { describeSelector, pagesOf } from "./selector-tally.ts";
