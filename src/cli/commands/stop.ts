import type { Command } from "commander";
import { registerControlCommand } from "../control-command.ts";

/** `trawl stop RUN`: graceful stop; the run stays resumable with `trawl resume`. */
export function register(program: Command): void {
  registerControlCommand(program, "stop", "stop a run gracefully; it stays resumable");
}
