import type { Command } from "commander";
import { registerControlCommand } from "../control-command.ts";

/** `trawl pause RUN`: no new requests; in-flight ones finish; the process waits for resume. */
export function register(program: Command): void {
  registerControlCommand(program, "pause", "pause a running run (in-flight requests finish)");
}
