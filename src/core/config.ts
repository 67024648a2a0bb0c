/**
 * The process's configuration: the `TRAWL_*` environment variables (and the XDG directories some
 * defaults derive from), with the command line's global flags over them (flag > environment >
 * default). One schema, parsed once per process and frozen; docs/configuration.md is its table.
 */
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { z } from "zod";
import { UsageError } from "./errors.ts";
import { parseMemoryCeiling } from "./memory-limit.ts";

/** A blank value means "not set", as the XDG specification says of its own variables. */
function blankAsUnset(value: unknown): unknown {
  return typeof value === "string" && value.trim() === "" ? undefined : value;
}

/** The values of `TRAWL_LOG_LEVEL`, most verbose first (`silent`: no process log). */
export const LOG_THRESHOLDS = ["debug", "info", "warn", "error", "fatal", "silent"] as const;

/** `TRAWL_LOG_LEVEL`: one of {@link LOG_THRESHOLDS}, in any case. */
function logLevelSchema() {
  return z
    .preprocess(blankAsUnset, z.string().toLowerCase().optional())
    .refine((value) => value === undefined || (LOG_THRESHOLDS as readonly string[]).includes(value), {
      message: `must be one of ${LOG_THRESHOLDS.join(", ")}`,
    });
}

/** Values of an on/off switch. */
const SWITCH: Readonly<Record<string, boolean>> = {
  1: true,
  true: true,
  yes: true,
  on: true,
  0: false,
  false: false,
  no: false,
  off: false,
};

/**
 * Builds the schema of what the configuration reads: the environment's variables under their
 * names and the flags under theirs (`--home`), so that an error names what the user set
 * ({@link buildConfigSchema} turns them into {@link TrawlConfig}). Other variables of the environment are left out. Built on first
 * use, not on import: core's index is imported by worker threads that never read the
 * configuration, and only a module without top-level calls lets the bundler leave zod out of
 * their bundles (scripts/build-cli.mjs); schema calls at the top level would be kept.
 */
function buildRawSchema() {
  /** A path or a name: any non-blank text. */
  const text = z.preprocess(blankAsUnset, z.string().optional());
  /** Folders separated like `PATH` (`:`, `;` on Windows); empty entries are skipped. */
  const folderList = text.transform((value) => value?.split(delimiter).filter(Boolean));
  /** A whole number of threads, 0 or more, as `Number()` reads it. */
  const threadCount = text.pipe(
    z
      .string()
      .optional()
      .refine((value) => value === undefined || (Number.isInteger(Number(value)) && Number(value) >= 0), {
        message: "must be a whole number of threads (0 or more)",
      })
      .transform((value) => (value === undefined ? undefined : Number(value))),
  );
  /** A number of seconds above 0, as `Number()` reads it. */
  const seconds = text.pipe(
    z
      .string()
      .optional()
      .refine((value) => value === undefined || Number(value) > 0, {
        message: "must be a number of seconds above 0",
      })
      .transform((value) => (value === undefined ? undefined : Number(value))),
  );
  /** An on/off switch: `1`/`0`, `true`/`false`, `yes`/`no`, `on`/`off`. */
  const onOff = text.pipe(
    z
      .string()
      .optional()
      .refine((value) => value === undefined || value.toLowerCase() in SWITCH, {
        message: "must be 1 or 0 (also true/false, yes/no, on/off)",
      })
      .transform((value) => (value === undefined ? false : SWITCH[value.toLowerCase()]!)),
  );
  return z.object({
    "--home": text,
    "--database": databaseUrlSchema(text),
    "--scrapers": z.array(z.string().min(1, "must name a folder")).optional(),
    TRAWL_HOME: text,
    // A PostgreSQL URL selects the PostgreSQL store; it may hold a password: never echoed.
    TRAWL_DATABASE_URL: databaseUrlSchema(text),
    TRAWL_SCRAPERS: folderList,
    TRAWL_PARSE_THREADS: threadCount,
    TRAWL_LEASE_SECONDS: seconds,
    TRAWL_LOG_LEVEL: logLevelSchema(),
    TRAWL_CHROMIUM: text,
    TRAWL_BROWSER_CACHE: text,
    TRAWL_DEBUG: onOff,
    TRAWL_MEMORY_CEILING: memoryCeilingSchema(),
    // 32 random bytes in base64 (`openssl rand -base64 32`): exactly 43 characters and one `=`.
    TRAWL_MASTER_KEY: text.refine((value) => value === undefined || /^[A-Za-z0-9+/]{43}=$/.test(value), {
      message: "must be 32 bytes in base64, 44 characters ending in = (openssl rand -base64 32)",
    }),
    // Read by bin/trawl.js, which decides whether to load the TypeScript sources and so cannot
    // load this schema first; listed here so that it is checked, documented and not "unknown".
    TRAWL_FROM_SOURCE: onOff,
    XDG_DATA_HOME: text,
    XDG_CACHE_HOME: text,
    // OpenTelemetry's own variables: set, they turn tracing on (the exporter reads the rest).
    OTEL_EXPORTER_OTLP_ENDPOINT: text,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: text,
    OTEL_SDK_DISABLED: onOff,
  });
}

type RawConfig = z.output<ReturnType<typeof buildRawSchema>>;

/** The settings the variables and flags give, defaults filled in. */
function settingsOf(raw: RawConfig) {
  return {
    /**
     * The PostgreSQL database of the store (`--database`, else `TRAWL_DATABASE_URL`); `undefined`:
     * the SQLite file of the data directory.
     */
    databaseUrl: raw["--database"] ?? raw.TRAWL_DATABASE_URL,
    /** The data directory: `--home`, else `TRAWL_HOME`, else `${XDG_DATA_HOME:-~/.local/share}/trawl`. */
    home:
      raw["--home"] ??
      raw.TRAWL_HOME ??
      join(raw.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "trawl"),
    /**
     * Folders whose scrapers the web app lists (relative ones from the working directory):
     * `--scrapers`, else `TRAWL_SCRAPERS`, else the working directory.
     */
    scraperFolders: Object.freeze(raw["--scrapers"] ?? raw.TRAWL_SCRAPERS ?? ["."]),
    /** Parse threads of a crawl; `undefined`: the engine derives them from the cores. */
    parseThreads: raw.TRAWL_PARSE_THREADS,
    /**
     * How long a request leased from a PostgreSQL store stays its holder's without a heartbeat,
     * in ms; `undefined`: the store's default. Past it, other workers take the request.
     */
    leaseMs: raw.TRAWL_LEASE_SECONDS === undefined ? undefined : raw.TRAWL_LEASE_SECONDS * 1000,
    /** The process log's threshold (docs/logs.md): lines below it are dropped. */
    logLevel: (raw.TRAWL_LOG_LEVEL ?? "info") as (typeof LOG_THRESHOLDS)[number],
    /** The Chromium to drive; `undefined`: a system one, else the bundled one. */
    chromium: raw.TRAWL_CHROMIUM,
    /** Where the bundled Chromium is unpacked: `TRAWL_BROWSER_CACHE`, else `${XDG_CACHE_HOME:-~/.cache}/trawl`. */
    browserCache: raw.TRAWL_BROWSER_CACHE ?? join(raw.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "trawl"),
    /** Print the stack trace of an unexpected error. */
    debug: raw.TRAWL_DEBUG,
    /** The governor's memory ceiling; `undefined`: 75 % of the machine's or the cgroup's limit. */
    memoryCeiling: raw.TRAWL_MEMORY_CEILING,
    /** `trawl` runs the TypeScript sources even when the bundle is current. */
    fromSource: raw.TRAWL_FROM_SOURCE,
    /**
     * The key that wraps the secrets vault's data key (base64 of 32 bytes); `undefined`: the
     * key file `keys/master.key` of the data directory.
     */
    masterKey: raw.TRAWL_MASTER_KEY,
    /** Export traces of runs over OTLP (docs/metrics.md, "Traces"): an endpoint is set and the SDK not disabled. */
    tracing:
      !raw.OTEL_SDK_DISABLED &&
      (raw.OTEL_EXPORTER_OTLP_ENDPOINT ?? raw.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) !== undefined,
  };
}

/** A `postgres://` (or `postgresql://`) URL. */
function databaseUrlSchema(text: z.ZodType<string | undefined>) {
  return text.refine((value) => value === undefined || /^postgres(ql)?:\/\/[^\s]+$/.test(value), {
    message: "must be a PostgreSQL URL, postgres://user:password@host:5432/database",
  });
}

/** `TRAWL_MEMORY_CEILING`: a share of the memory limit (`75%`) or a size (`2GB`); docs/limits.md. */
function memoryCeilingSchema() {
  return z
    .preprocess(blankAsUnset, z.string().optional())
    .refine((value) => value === undefined || parseMemoryCeiling(value) !== undefined, {
      message: "must be a share of the memory limit (75%) or a size (2GB, 1536MB)",
    })
    .transform((value) => (value === undefined ? undefined : parseMemoryCeiling(value)));
}

/** The whole schema: the variables and flags, and the settings they give. */
function buildConfigSchema() {
  return buildRawSchema().transform(settingsOf);
}

type ConfigSchema = ReturnType<typeof buildConfigSchema>;

let configSchema: ConfigSchema | undefined;

/** The configuration schema, built once (see {@link buildConfigSchema}); exported for its test. */
export function getConfigSchema(): ConfigSchema {
  return (configSchema ??= buildConfigSchema());
}

/** The process's configuration, frozen. Each field's source and default: {@link buildConfigSchema}. */
export type TrawlConfig = Readonly<z.output<ConfigSchema>>;

/** The command line's flags that override the environment. */
export interface ConfigFlags {
  /** `--home DIR` (every command). */
  home?: string;
  /** `--database URL` (every command). */
  database?: string;
  /** `--scrapers DIR…` (`trawl serve`). */
  scrapers?: string[];
}

/**
 * Every `TRAWL_*` variable trawl knows: the schema's (config.test.ts checks that they agree), then
 * two that are no setting of the product yet draw no warning: trawl's own tooling reads them, the
 * product never does, and a developer may well have them exported while running trawl.
 * `TRAWL_E2E_UI_DIR`: the web-app build the e2e tests serve (test/e2e/ui-dir.ts); `TRAWL_API`: the
 * server the web app's dev server proxies to (ui/vite.config.ts). A literal, like everything at
 * this module's top level (see {@link buildConfigSchema}).
 */
export const KNOWN_VARIABLES: readonly string[] = [
  "TRAWL_HOME",
  "TRAWL_DATABASE_URL",
  "TRAWL_SCRAPERS",
  "TRAWL_PARSE_THREADS",
  "TRAWL_LEASE_SECONDS",
  "TRAWL_LOG_LEVEL",
  "TRAWL_CHROMIUM",
  "TRAWL_BROWSER_CACHE",
  "TRAWL_DEBUG",
  "TRAWL_MEMORY_CEILING",
  "TRAWL_MASTER_KEY",
  "TRAWL_FROM_SOURCE",
  "TRAWL_E2E_UI_DIR",
  "TRAWL_API",
];

/** Variables whose value an error never shows. */
const HIDDEN_VARIABLES: ReadonlySet<string> = new Set([
  "TRAWL_MASTER_KEY",
  "TRAWL_DATABASE_URL",
  "--database",
]);

/**
 * Parses the configuration from an environment and the flags: frozen, with every default filled
 * in. A bad value is a usage error (`TRAWL_ERR_CORE_CONFIG`, exit code 2) naming the variable or
 * flag, what it must be and what it was. Blank values count as unset.
 */
export function parseConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): TrawlConfig {
  const input = { ...env, "--home": flags.home, "--database": flags.database, "--scrapers": flags.scrapers };
  const parsed = getConfigSchema().safeParse(input);
  if (parsed.success) return Object.freeze(parsed.data);
  const issue = parsed.error.issues[0]!;
  const variable = String(issue.path[0]);
  const value = (input as Record<string, unknown>)[variable];
  // A key is never echoed, not even a malformed one: it may be a real key pasted wrongly.
  if (HIDDEN_VARIABLES.has(variable)) {
    throw new UsageError("TRAWL_ERR_CORE_CONFIG", `${variable} ${issue.message} (its value is not shown)`, {
      details: { variable, problem: issue.message },
    });
  }
  throw new UsageError(
    "TRAWL_ERR_CORE_CONFIG",
    `${variable} ${issue.message}, not ${JSON.stringify(value)}`,
    {
      details: { variable, problem: issue.message, value },
    },
  );
}

/** The `TRAWL_*` variables of `env` that trawl does not know, sorted. */
export function unknownVariables(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter((name) => name.startsWith("TRAWL_") && !KNOWN_VARIABLES.includes(name))
    .sort();
}

let processConfig: TrawlConfig | undefined;

/**
 * The configuration of this process, from `process.env`: parsed on first use, the same frozen
 * object afterwards. The first use also warns on stderr, once, of each unknown `TRAWL_*` variable
 * (a misspelt setting would otherwise be ignored without a word). Throws like {@link parseConfig}.
 */
export function trawlConfig(): TrawlConfig {
  if (processConfig === undefined) {
    processConfig = parseConfig(process.env);
    for (const name of unknownVariables(process.env)) {
      process.stderr.write(
        `trawl: warning: ${name} is not a trawl setting and is ignored (see docs/configuration.md)\n`,
      );
    }
  }
  return processConfig;
}

/**
 * The configuration an environment gives: the process's own ({@link trawlConfig}) for
 * `process.env`, else that environment parsed (for callers that take an environment, and tests).
 */
export function configFor(env: NodeJS.ProcessEnv): TrawlConfig {
  return env === process.env ? trawlConfig() : parseConfig(env);
}

/**
 * The process's configuration with the command line's flags over it; the process's own object
 * when no flag is given. Throws like {@link parseConfig}, naming the flag.
 */
export function configWithFlags(flags: ConfigFlags): TrawlConfig {
  const config = trawlConfig();
  if (flags.home === undefined && flags.database === undefined && flags.scrapers === undefined) return config;
  return parseConfig(process.env, flags);
}
