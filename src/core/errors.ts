/**
 * The error vocabulary shared by every layer. Each error carries a stable `code`
 * (`TRAWL_ERR_<AREA>_<WHAT>`) that callers, the CLI and the API match on; messages are for people.
 */

/** Exit codes of the `trawl` command (DESIGN.md §4). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Options accepted by every trawl error. */
export interface TrawlErrorOptions {
  cause?: unknown;
  /** Extra machine-readable facts (file, line, field, url…) shown by `--json` output. */
  details?: Record<string, unknown>;
}

/** Base class of all errors trawl raises on purpose. */
export class TrawlError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  /** Which exit code the CLI uses when this error ends a command. */
  readonly exitCode: ExitCode = ExitCode.failed;

  constructor(code: string, message: string, options: TrawlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Bad input from the user: a flag, an argument, a definition. Exit code 2; nothing was stored. */
export class UsageError extends TrawlError {
  override readonly exitCode = ExitCode.usage;
}

/** Something the user asked for does not exist (a run id, a dataset name). */
export class NotFoundError extends UsageError {}

/** The operation was aborted on purpose (cancel, stop, Ctrl-C). */
export class AbortedError extends TrawlError {
  override readonly exitCode = ExitCode.interrupted;
  constructor(message = "aborted", options: TrawlErrorOptions = {}) {
    super("TRAWL_ERR_CORE_ABORTED", message, options);
  }
}

/** Turns anything thrown into a one-line message safe to print. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
