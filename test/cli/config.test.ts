import { describe, expect, it } from "vitest";
import { makeWorkDir, parseJson, runCli } from "./run-cli.ts";

describe("trawl's configuration from the environment", () => {
  it("refuses a bad value with exit 2 and a message naming the variable, before any command runs", async () => {
    const { home } = await makeWorkDir();
    const result = await runCli(["runs", "--json"], { home, env: { TRAWL_PARSE_THREADS: "lots" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'trawl: TRAWL_PARSE_THREADS must be a whole number of threads (0 or more), not "lots"',
    );
    expect(parseJson<{ error: { code: string; details: unknown } }>(result).error).toMatchObject({
      code: "TRAWL_ERR_CORE_CONFIG",
      details: { variable: "TRAWL_PARSE_THREADS", value: "lots" },
    });
  });

  it("warns once of an unknown TRAWL_ variable and goes on; known ones draw no warning", async () => {
    const { home } = await makeWorkDir();
    const misspelt = await runCli(["runs"], { home, env: { TRAWL_PARSE_THREDS: "2" } });
    expect(misspelt.code).toBe(0);
    const warnings = misspelt.stderr.split("\n").filter((line) => line.includes("warning"));
    expect(warnings).toEqual([
      "trawl: warning: TRAWL_PARSE_THREDS is not a trawl setting and is ignored (see docs/configuration.md)",
    ]);
    const known = await runCli(["runs"], {
      home,
      env: { TRAWL_PARSE_THREADS: "2", TRAWL_E2E_UI_DIR: "/tmp" },
    });
    expect(known.code).toBe(0);
    expect(known.stderr).not.toContain("warning");
  });
});
