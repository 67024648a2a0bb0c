import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.ts";
import { getConfigSchema, KNOWN_VARIABLES, parseConfig, unknownVariables } from "./config.ts";

describe("parseConfig", () => {
  it("fills every default from an empty environment, frozen", () => {
    const config = parseConfig({});
    expect(config).toEqual({
      home: join(homedir(), ".local", "share", "trawl"),
      scraperFolders: ["."],
      parseThreads: undefined,
      chromium: undefined,
      browserCache: join(homedir(), ".cache", "trawl"),
      debug: false,
      fromSource: false,
      logLevel: "info",
      tracing: false,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.scraperFolders)).toBe(true);
  });

  it("reads each variable, derives from the XDG directories, and counts blank values as unset", () => {
    expect(
      parseConfig({
        TRAWL_SCRAPERS: ["a", "", "b"].join(process.platform === "win32" ? ";" : ":"),
        TRAWL_PARSE_THREADS: "0",
        TRAWL_CHROMIUM: "/opt/chrome",
        TRAWL_DEBUG: "1",
        TRAWL_FROM_SOURCE: "off",
        XDG_DATA_HOME: "/data",
        XDG_CACHE_HOME: "/cache",
        TRAWL_HOME: " ",
        TRAWL_LOG_LEVEL: "WARN",
      }),
    ).toEqual({
      home: join("/data", "trawl"),
      scraperFolders: ["a", "b"],
      parseThreads: 0,
      chromium: "/opt/chrome",
      browserCache: join("/cache", "trawl"),
      debug: true,
      fromSource: false,
      logLevel: "warn",
      tracing: false,
    });
    expect(
      parseConfig({ TRAWL_HOME: "/h", TRAWL_BROWSER_CACHE: "/b", XDG_CACHE_HOME: "/cache" }),
    ).toMatchObject({
      home: "/h",
      browserCache: "/b",
    });
  });

  it("traces when an OTLP endpoint is set, unless the OpenTelemetry SDK is disabled", () => {
    expect(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }).tracing).toBe(true);
    expect(parseConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c/v1/traces" }).tracing).toBe(true);
    expect(
      parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_SDK_DISABLED: "true" })
        .tracing,
    ).toBe(false);
  });

  it("reads a PostgreSQL URL, the flag over the variable, and never echoes a bad one", () => {
    const env = { TRAWL_DATABASE_URL: "postgres://t:pw@db:5432/trawl" };
    expect(parseConfig(env).databaseUrl).toBe("postgres://t:pw@db:5432/trawl");
    expect(parseConfig(env, { database: "postgresql://o@x/y" }).databaseUrl).toBe("postgresql://o@x/y");
    expect(parseConfig({}).databaseUrl).toBeUndefined();
    expect(() => parseConfig({ TRAWL_DATABASE_URL: "mysql://root:hunter2@db/x" })).toThrow(
      /^TRAWL_DATABASE_URL must be a PostgreSQL URL.*\(its value is not shown\)$/,
    );
  });

  it("lets the flags win over the environment", () => {
    const env = { TRAWL_HOME: "/from-env", TRAWL_SCRAPERS: "/env-scrapers" };
    expect(parseConfig(env, { home: "/from-flag", scrapers: ["/flag-scrapers"] })).toMatchObject({
      home: "/from-flag",
      scraperFolders: ["/flag-scrapers"],
    });
  });

  it("refuses a bad value with a usage error naming the variable or flag, the rule and the value", () => {
    const refusal = (env: NodeJS.ProcessEnv, flags = {}) => {
      try {
        parseConfig(env, flags);
      } catch (error) {
        return error as UsageError;
      }
      throw new Error("accepted");
    };
    const threads = refusal({ TRAWL_PARSE_THREADS: "lots" });
    expect(threads).toBeInstanceOf(UsageError);
    expect(threads.code).toBe("TRAWL_ERR_CORE_CONFIG");
    expect(threads.exitCode).toBe(2);
    expect(threads.message).toBe(
      'TRAWL_PARSE_THREADS must be a whole number of threads (0 or more), not "lots"',
    );
    expect(threads.details).toEqual({
      variable: "TRAWL_PARSE_THREADS",
      problem: "must be a whole number of threads (0 or more)",
      value: "lots",
    });
    expect(refusal({ TRAWL_PARSE_THREADS: "-1" }).message).toMatch(/^TRAWL_PARSE_THREADS .* not "-1"$/);
    expect(refusal({ TRAWL_PARSE_THREADS: "2.5" }).message).toMatch(/^TRAWL_PARSE_THREADS .* not "2.5"$/);
    expect(refusal({ TRAWL_DEBUG: "maybe" }).message).toBe(
      'TRAWL_DEBUG must be 1 or 0 (also true/false, yes/no, on/off), not "maybe"',
    );
    expect(refusal({}, { scrapers: [""] }).message).toBe('--scrapers must name a folder, not [""]');
    expect(refusal({ TRAWL_LOG_LEVEL: "loud" }).message).toBe(
      'TRAWL_LOG_LEVEL must be one of debug, info, warn, error, fatal, silent, not "loud"',
    );
  });
});

describe("unknownVariables", () => {
  it("lists TRAWL_ variables that are no setting, and knows the tooling's", () => {
    expect(
      unknownVariables({ TRAWL_HOEM: "/x", TRAWL_HOME: "/h", PATH: "/bin", TRAWL_E2E_UI_DIR: "/ui" }),
    ).toEqual(["TRAWL_HOEM"]);
    const settings = Object.keys(getConfigSchema().in.shape).filter((name) => name.startsWith("TRAWL_"));
    expect(KNOWN_VARIABLES).toEqual([...settings, "TRAWL_E2E_UI_DIR", "TRAWL_API"]);
  });
});
