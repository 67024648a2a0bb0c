import type { Command } from "commander";
import { registerControlCommand } from "../control-command.ts";

/** `trawl cancel RUN`: aborts in-flight requests; the run cannot be resumed. */
export function register(program: Command): void {
  registerControlCommand(program, "cancel", "cancel a run: in-flight requests are aborted; not resumable");
}
