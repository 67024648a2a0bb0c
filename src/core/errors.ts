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

/**
 * What an error means for whoever receives it; the kind decides the CLI's exit code and, unless the
 * catalogue entry says otherwise, the API's HTTP status.
 * - `usage`: bad input (a flag, an argument, a definition, a request): exit 2, HTTP 400.
 * - `not_found`: what was asked for does not exist: exit 2, HTTP 404.
 * - `conflict`: the thing exists but its state forbids the action: exit 2, HTTP 409.
 * - `failed`: the operation failed (the network, the disk, the site): exit 1, HTTP 500.
 * - `internal`: a bug, an invariant broken: exit 1, HTTP 500.
 * - `aborted`: cancelled on purpose: exit 130, HTTP 500.
 */
export type ErrorKind = "usage" | "not_found" | "conflict" | "failed" | "internal" | "aborted";

/** The exit code and default HTTP status of each {@link ErrorKind}. */
export const ERROR_KINDS: Readonly<
  Record<ErrorKind, { readonly exitCode: ExitCode; readonly status: number }>
> = Object.freeze({
  usage: { exitCode: ExitCode.usage, status: 400 },
  not_found: { exitCode: ExitCode.usage, status: 404 },
  conflict: { exitCode: ExitCode.usage, status: 409 },
  failed: { exitCode: ExitCode.failed, status: 500 },
  internal: { exitCode: ExitCode.failed, status: 500 },
  aborted: { exitCode: ExitCode.interrupted, status: 500 },
});

/** One entry of a layer's error catalogue (the model is Fastify's `lib/errors.js`). */
export interface ErrorSpec {
  readonly kind: ErrorKind;
  /**
   * The message's shape. `{name}` stands for a value the thrower gives (see {@link createError});
   * a thrower that builds a richer message follows this shape.
   */
  readonly message: string;
  /** HTTP status through the API. @defaultValue the kind's status ({@link ERROR_KINDS}) */
  readonly status?: number;
}

/** A layer's codes (`TRAWL_ERR_<AREA>_<WHAT>`) with their specs: the `XXX_ERRORS` of each `errors.ts`. */
export type ErrorCatalogue = Readonly<Record<`TRAWL_ERR_${string}`, ErrorSpec>>;

/** Every code of every catalogue loaded so far (a layer's `errors.ts` loads with its first throw). */
const registered = new Map<string, ErrorSpec>();

/** Registers a layer's catalogue so that its errors know their kind and status; returns it frozen. */
export function defineErrors<const T extends ErrorCatalogue>(catalogue: T): T {
  for (const [code, spec] of Object.entries(catalogue)) registered.set(code, spec);
  return Object.freeze(catalogue);
}

/** The catalogue entry of `code`, when a loaded catalogue has one. */
export function errorSpecOf(code: string): ErrorSpec | undefined {
  return registered.get(code);
}

/** Options accepted by every trawl error. */
export interface TrawlErrorOptions {
  cause?: unknown;
  /** Extra machine-readable facts (file, line, field, url…) shown by `--json` output. */
  details?: Record<string, unknown>;
}

/**
 * Base class of all errors trawl raises on purpose. Its kind, exit code and HTTP status come from
 * its code's catalogue entry; a code in no catalogue takes its class's kind.
 */
export class TrawlError extends Error {
  /** The kind of an error of this class whose code is in no catalogue. */
  protected static readonly defaultKind: ErrorKind = "failed";
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: TrawlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }

  /** What the error means: from the code's catalogue entry, else the class's. */
  get kind(): ErrorKind {
    return registered.get(this.code)?.kind ?? (this.constructor as typeof TrawlError).defaultKind;
  }

  /** Which exit code the CLI uses when this error ends a command. */
  get exitCode(): ExitCode {
    return ERROR_KINDS[this.kind].exitCode;
  }

  /** The HTTP status the API answers with (the error handler reads it from here). */
  get statusCode(): number {
    return registered.get(this.code)?.status ?? ERROR_KINDS[this.kind].status;
  }
}

/** Bad input from the user: a flag, an argument, a definition. Exit code 2; nothing was stored. */
export class UsageError extends TrawlError {
  protected static override readonly defaultKind: ErrorKind = "usage";
}

/** Something the user asked for does not exist (a run id, a dataset name). */
export class NotFoundError extends UsageError {
  protected static override readonly defaultKind: ErrorKind = "not_found";
}

/** The thing exists but its state forbids the action (resuming a finished run). Exit code 2. */
export class ConflictError extends UsageError {
  protected static override readonly defaultKind: ErrorKind = "conflict";
}

/** The operation was aborted on purpose (cancel, stop, Ctrl-C). */
export class AbortedError extends TrawlError {
  protected static override readonly defaultKind: ErrorKind = "aborted";
  constructor(message = "aborted", options: TrawlErrorOptions = {}) {
    super("TRAWL_ERR_CORE_ABORTED", message, options);
  }
}

/** A broken invariant: a bug in trawl, never the user's doing (`TRAWL_ERR_CORE_INTERNAL`). */
export class InternalError extends TrawlError {
  protected static override readonly defaultKind: ErrorKind = "internal";
  constructor(message: string, options: TrawlErrorOptions = {}) {
    super("TRAWL_ERR_CORE_INTERNAL", message, options);
  }
}

/** The class an error of each kind is made with, so that `instanceof UsageError` keeps working. */
const CLASS_OF_KIND: Readonly<Record<ErrorKind, typeof TrawlError>> = {
  usage: UsageError,
  not_found: NotFoundError,
  conflict: ConflictError,
  failed: TrawlError,
  internal: TrawlError,
  aborted: TrawlError,
};

/** `{name}` placeholders of a message shape filled from `values` (unknown names stay as they are). */
function fillMessage(shape: string, values: Readonly<Record<string, unknown>>): string {
  return shape.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/**
 * Makes the error of a catalogued `code` (Fastify's `createError`, without a class per code). The
 * message is `message` when it is a string, else the code's shape with `{name}`s filled from it.
 * A code in no loaded catalogue is an internal error: the catalogues must list every code.
 */
export function createError(
  code: string,
  message?: string | Readonly<Record<string, unknown>>,
  options: TrawlErrorOptions = {},
): TrawlError {
  const spec = registered.get(code);
  if (!spec) return new InternalError(`unknown error code ${code}`, options);
  const text = typeof message === "string" ? message : fillMessage(spec.message, message ?? {});
  return new CLASS_OF_KIND[spec.kind](code, text, options);
}

/** The error factory of one catalogue: {@link createError} restricted to its codes. */
export function errorFactory<T extends ErrorCatalogue>(
  _catalogue: T,
): (
  code: keyof T & string,
  message?: string | Readonly<Record<string, unknown>>,
  options?: TrawlErrorOptions,
) => TrawlError {
  return createError;
}

/** The codes core raises itself, and those every layer shares. */
export const CORE_ERRORS = defineErrors({
  TRAWL_ERR_CORE_ABORTED: { kind: "aborted", message: "aborted" },
  TRAWL_ERR_CORE_INTERNAL: { kind: "internal", message: "internal error; see the log" },
  TRAWL_ERR_CORE_OUTPUT_CLOSED: { kind: "failed", message: "the output was closed" },
  TRAWL_ERR_CORE_CONFIG: { kind: "usage", message: "{variable} {problem}, not {value}" },
  TRAWL_ERR_ENGINE_RUN_NOT_FOUND: { kind: "not_found", message: "no run {runId}" },
});

/** Makes an error of {@link CORE_ERRORS}. */
export const coreError = errorFactory(CORE_ERRORS);

/** The error of a run id that names no run (engine, app, replay and the CLI all raise it). */
export class RunNotFoundError extends NotFoundError {
  constructor(runId: string) {
    super("TRAWL_ERR_ENGINE_RUN_NOT_FOUND", `no run ${runId}`, { details: { runId } });
  }
}

/** Turns anything thrown into a one-line message safe to print. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
