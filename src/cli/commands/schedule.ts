import type { Command } from "commander";
import { registerPause, registerRemove, registerResume, registerRunNow } from "./schedule/control.ts";
import { registerAdd, registerEdit, registerPreview } from "./schedule/define.ts";
import { registerHistory, registerList, registerNext, registerShow } from "./schedule/inspect.ts";

/** `trawl schedule …`: create, inspect and change schedules; `trawl scheduler` fires them. */
export function register(program: Command): void {
  const schedule = program
    .command("schedule")
    .description("create, list and change schedules (the `trawl scheduler` daemon runs them)");
  // In the order `trawl schedule --help` lists them.
  for (const registerSubcommand of [
    registerAdd,
    registerList,
    registerShow,
    registerEdit,
    registerPause,
    registerResume,
    registerRemove,
    registerHistory,
    registerRunNow,
    registerNext,
    registerPreview,
  ]) {
    registerSubcommand(schedule);
  }
}
