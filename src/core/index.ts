export * from "./errors.ts";
export * from "./clock.ts";
export * from "./ids.ts";
export * from "./paths.ts";
export * from "./events.ts";
export * from "./process.ts";
export * from "./records.ts";
