export { App, type AppOptions } from "./app.ts";
export { describeRun, type RunSummary } from "./run-summary.ts";
