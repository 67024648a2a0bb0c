/**
 * A TypeScript definition through the real `trawl` command, whichever way it runs (the bundle
 * `npm ci` built, or the sources): tsx loads the file, and the step it registers with
 * `registerStep` from "trawl" is the one the command's compiler sees.
 */
import { describe, expect, it } from "vitest";
import { makeWorkDir, parseJson, REPO_ROOT, runCli, writeText } from "./run-cli.ts";

describe("trawl validate examples/bookshop.ts", () => {
  it.each([
    ["as installed", {}],
    ["from the sources", { TRAWL_FROM_SOURCE: "1" }],
  ])("loads the definition and its registered step %s", async (_how, env) => {
    const { home } = await makeWorkDir();
    const result = await runCli(["validate", `${REPO_ROOT}examples/bookshop.ts`, "--json"], { home, env });
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson(result)).toMatchObject({
      valid: true,
      name: "bookshop-ts",
      steps: ["validate", "dedupe", "price-band", "export"],
    });
  });

  it.each([
    ["as installed", {}],
    ["from the sources", { TRAWL_FROM_SOURCE: "1" }],
  ])(
    "loads a .ts definition of a folder that is no ES module package (no package.json) %s",
    async (_how, env) => {
      // Node reads such a folder's files as CommonJS: TypeScript syntax failed to parse there.
      const { dir, home } = await makeWorkDir();
      const file = await writeText(
        dir,
        "plain.ts",
        `interface Page { record: Record<string, string> }
const page: Page = { record: { title: "h1" } };
export default { name: "plain-ts", start: "http://127.0.0.1:9/", pages: { page } };
`,
      );
      const result = await runCli(["validate", file, "--json"], { home, env });
      expect(result.code, result.stderr).toBe(0);
      expect(parseJson(result)).toMatchObject({ valid: true, name: "plain-ts" });
    },
  );
});
