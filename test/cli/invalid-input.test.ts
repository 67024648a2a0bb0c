/**
 * Bad input gets a clear error, exit code 2, and changes nothing (DESIGN.md §3.7, §4): broken
 * YAML, definitions with unknown keys or wrong types, unknown commands and options.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeWorkDir, parseJson, runCli, startSite, writeExample, writeText } from "./run-cli.ts";

interface JsonError {
  error: {
    code: string;
    message: string;
    details?: { problems?: { file: string; line: number; column: number; path: string; message: string }[] };
  };
}

/** A flow sequence that is never closed: a YAML syntax error on line 4. */
const BROKEN_YAML = `name: broken
targets:
  - name: a
    start: [http://127.0.0.1:9/
pages:
  list: {}
`;

/** Valid YAML, invalid definition: an unknown key (line 5) and a string where a number goes (line 12). */
const INVALID_DEFINITION = `name: invalid
targets:
  - name: a
    start: http://127.0.0.1:9/
    colour: red
pages:
  product:
    record:
      title: h1
limits:
  max_depth: 3
  max_pages: many
`;

/**
 * Runs `trawl run --json`, `trawl validate` and `trawl validate --json` on `file` in a fresh home.
 * The message goes to stderr with or without --json, so `run --json` shows both.
 */
async function rejectBoth(file: string, home: string) {
  const [run, validate, validateJson] = await Promise.all([
    runCli(["run", file, "--json"], { home }),
    runCli(["validate", file], { home }),
    runCli(["validate", file, "--json"], { home }),
  ]);
  for (const result of [run, validate, validateJson]) expect(result.code, result.stderr).toBe(2);
  expect(validate.stdout).toBe("");
  return {
    run,
    runJson: parseJson<JsonError>(run),
    validate,
    validateJson: parseJson<JsonError>(validateJson),
  };
}

/** Nothing stored: not even a database was created, and a fresh look finds no runs. */
async function expectNothingStored(home: string): Promise<void> {
  expect(existsSync(join(home, "trawl.db"))).toBe(false);
  const runs = await runCli(["runs", "--json"], { home });
  expect(runs.code, runs.stderr).toBe(0);
  expect(parseJson(runs)).toEqual({ runs: [] });
}

describe.concurrent("an invalid definition", () => {
  it("with a YAML syntax error: exit 2, file:line:column on stderr, a JSON error, nothing stored", async () => {
    const { dir, home } = await makeWorkDir();
    const file = await writeText(dir, "broken.yaml", BROKEN_YAML);
    const { run, runJson, validate, validateJson } = await rejectBoth(file, home);

    for (const result of [run, validate]) expect(result.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+`));
    for (const body of [runJson, validateJson]) {
      expect(body.error.code).toBe("TRAWL_ERR_PIPELINE_DEFINITION");
      expect(body.error.message).toContain(file);
      const [problem] = body.error.details!.problems!;
      expect(problem).toMatchObject({ file, line: expect.any(Number), column: expect.any(Number) });
      expect(problem!.line).toBeGreaterThanOrEqual(4);
    }
    await expectNothingStored(home);
  });

  it("with an unknown key and a wrong type: every problem with file:line:column and field path", async () => {
    const { dir, home } = await makeWorkDir();
    const file = await writeText(dir, "invalid.yaml", INVALID_DEFINITION);
    const { run, runJson, validate, validateJson } = await rejectBoth(file, home);

    for (const result of [run, validate]) {
      expect(result.stderr).toContain(`${file}:5:5 targets.0.colour: Unrecognized key: "colour"`);
      expect(result.stderr).toMatch(new RegExp(`${file}:12:\\d+ limits\\.max_pages: .*expected number`));
    }
    for (const body of [runJson, validateJson]) {
      expect(body.error.code).toBe("TRAWL_ERR_PIPELINE_DEFINITION");
      expect(body.error.details!.problems).toEqual([
        expect.objectContaining({ file, line: 5, column: 5, path: "targets.0.colour" }),
        expect.objectContaining({ file, line: 12, path: "limits.max_pages" }),
      ]);
    }
    await expectNothingStored(home);
  });

  it("that does not exist: exit 2 naming the file", async () => {
    const { dir, home } = await makeWorkDir();
    const missing = join(dir, "nope.yaml");
    const result = await runCli(["validate", missing, "--json"], { home });
    expect(result.code).toBe(2);
    expect(parseJson<JsonError>(result).error.message).toContain(missing);
  });
});

describe.concurrent("trawl validate on a valid file", () => {
  it("exits 0, says what the scraper holds, and --json describes it", async () => {
    const { dir, home } = await makeWorkDir();
    const site = await startSite();
    const file = await writeExample(dir, "bookshop", site);
    const [text, json] = await Promise.all([
      runCli(["validate", file], { home }),
      runCli(["validate", file, "--json"], { home }),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`${file}: valid scraper bookshop`);
    expect(json.code, json.stderr).toBe(0);
    expect(parseJson(json)).toEqual({
      valid: true,
      file,
      name: "bookshop",
      targets: ["fiction", "poetry"],
      pages: ["list", "product"],
      steps: ["validate", "dedupe", "export"],
    });
    // Validating fetches nothing and stores nothing.
    expect(site.stats().requests).toBe(0);
    expect(existsSync(home)).toBe(false);
  });
});

describe.concurrent("usage errors", () => {
  it("an unknown command, an unknown option and a missing argument exit 2", async () => {
    const { home } = await makeWorkDir();
    const [command, option, argument] = await Promise.all([
      runCli(["frobnicate"], { home }),
      runCli(["runs", "--frobnicate"], { home }),
      runCli(["show"], { home }),
    ]);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'frobnicate'");
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--frobnicate'");
    expect(argument.code).toBe(2);
    expect(argument.stderr).toContain("missing required argument 'run'");
    for (const result of [command, option, argument]) expect(result.stdout).toBe("");
  });

  it("option values outside their choices, and unknown runs, exit 2", async () => {
    const { home } = await makeWorkDir();
    const results = await Promise.all([
      runCli(["runs", "--status", "sleeping"], { home }),
      runCli(["runs", "--limit", "0"], { home }),
      runCli(["logs", "RUN-20260101-000000", "--level", "loud"], { home }),
      runCli(["logs", "RUN-20260101-000000"], { home }),
    ]);
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    const [status, limit, level, logs] = results.map((r) => r.stderr);
    expect(status).toContain("'sleeping' is invalid");
    expect(limit).toContain("expected a positive integer");
    expect(level).toContain("'loud' is invalid");
    expect(logs).toContain("no run RUN-20260101-000000");
  });

  it("with --json, a usage error is still one JSON document on stdout", async () => {
    const { home } = await makeWorkDir();
    const result = await runCli(["runs", "--json", "--frobnicate"], { home });
    expect(result.code).toBe(2);
    expect(parseJson(result)).toEqual({
      error: {
        code: "TRAWL_ERR_CLI_USAGE",
        message: "unknown option '--frobnicate'",
        details: { reason: "commander.unknownOption" },
      },
    });
  });

  it("--help and --version exit 0", async () => {
    const { home } = await makeWorkDir();
    const [help, version] = await Promise.all([
      runCli(["--help"], { home }),
      runCli(["--version"], { home }),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: trawl");
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
