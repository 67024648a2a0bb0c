/** The `trawl` command's error catalogue: flags and arguments the CLI checks itself. */
import { defineErrors, errorFactory } from "../core/index.ts";

/** Every code the CLI raises, with its message shape, kind and HTTP status (none reach the API). */
export const CLI_ERRORS = defineErrors({
  /** Anything commander rejects (an unknown flag, a missing argument), and flags checked by hand. */
  TRAWL_ERR_CLI_USAGE: { kind: "usage", message: "{flag}: {problem}" },
  TRAWL_ERR_CLI_BAD_VERSION: { kind: "usage", message: "--version must be a positive integer, got {value}" },
  TRAWL_ERR_CLI_RECORDING_NEEDS_RUN: {
    kind: "usage",
    message: "--format {format} exports a run's recording: give a run id (RUN-…), not a dataset ({source})",
  },
  TRAWL_ERR_CLI_SERVE: { kind: "usage", message: "the server did not start on port {port}; see {log}" },
});

/** Makes an error of {@link CLI_ERRORS}. */
export const cliError = errorFactory(CLI_ERRORS);
