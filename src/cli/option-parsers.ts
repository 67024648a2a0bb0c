/**
 * Value parsers for the `trawl` command's options, shared by the commands that take the same kind
 * of value. Commander reports what they throw as a usage error (exit code 2).
 */
import { InvalidArgumentError } from "commander";
import { cliError } from "./errors.ts";

/** The highest TCP port. */
const MAX_PORT = 65_535;

/**
 * A `--port` parser: a whole number up to 65535. Port 0 (the system picks a free one) only with
 * `anyFreePort`: a server may listen anywhere, while a client must name the port it connects to.
 */
export function portParser(options: { anyFreePort: boolean }): (raw: string) => number {
  const lowest = options.anyFreePort ? 0 : 1;
  return (raw) => {
    const port = Number(raw);
    if (!Number.isInteger(port) || port < lowest || port > MAX_PORT)
      throw new InvalidArgumentError(`expected a port number (${lowest}-${MAX_PORT})`);
    return port;
  };
}

/** A whole number of at least 1 (`--limit`, `--count`). */
export function positiveInteger(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

/**
 * A dataset version (`--version N` of `export` and `datasets verify`): a whole number from 1.
 * Checked in the command's body, not by commander, so that `--json` reports its own code,
 * `TRAWL_ERR_CLI_BAD_VERSION`.
 */
export function datasetVersion(raw: string): number {
  const version = Number(raw);
  if (!Number.isInteger(version) || version < 1) {
    throw cliError("TRAWL_ERR_CLI_BAD_VERSION", `--version must be a positive integer, got ${raw}`);
  }
  return version;
}
