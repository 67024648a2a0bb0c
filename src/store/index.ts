export * from "./types.ts";
export * from "./schedule-types.ts";
export * from "./errors.ts";
export { openSqliteStore } from "./sqlite-store.ts";
export type { OpenDatabaseOptions } from "./database.ts";
