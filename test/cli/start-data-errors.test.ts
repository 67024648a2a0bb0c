/**
 * Bad start data is bad input (DESIGN.md §3.7, §4): `trawl run` and `trawl validate` name the
 * start file, its line and the value, exit 2 and store nothing; a dataset that does not exist is
 * refused by `trawl run` (validate cannot know: datasets live in the data directory).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeWorkDir, parseJson, runCli, writeText } from "./run-cli.ts";

interface JsonError {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

const definition = (start: string) => `name: from-data
start: ${start}
pages:
  item:
    record: { title: h1 }
`;

describe.concurrent("bad start data", () => {
  it("a CSV row that is not an http(s) URL: run and validate name file, line and value; exit 2; nothing stored", async () => {
    const { dir, home } = await makeWorkDir();
    await writeText(dir, "urls.csv", "id,url\n1,http://127.0.0.1:9/a\n2,mailto:someone@example.com\n");
    const file = await writeText(dir, "from-csv.yaml", definition("{ file: urls.csv, column: url }"));
    const [run, validate] = await Promise.all([
      runCli(["run", file, "--json"], { home }),
      runCli(["validate", file], { home }),
    ]);
    for (const result of [run, validate]) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(
        'urls.csv:3: "mailto:someone@example.com" is not an absolute http(s) URL',
      );
    }
    expect(parseJson<JsonError>(run).error).toMatchObject({
      code: "TRAWL_ERR_PIPELINE_START_DATA",
      details: { file: join(dir, "urls.csv"), line: 3, value: "mailto:someone@example.com" },
    });
    expect(existsSync(join(home, "trawl.db"))).toBe(false);
  });

  it("a missing column names the columns there are", async () => {
    const { dir, home } = await makeWorkDir();
    await writeText(dir, "urls.csv", "id,link\n1,http://127.0.0.1:9/a\n");
    const file = await writeText(dir, "from-csv.yaml", definition("{ file: urls.csv, column: url }"));
    const validate = await runCli(["validate", file, "--json"], { home });
    expect(validate.code, validate.stderr).toBe(2);
    expect(parseJson<JsonError>(validate).error.message).toBe(
      'start file urls.csv has no column "url" (its columns: id, link)',
    );
  });

  it("an unknown dataset: trawl run exits 2 naming it, and no run is stored", async () => {
    const { dir, home } = await makeWorkDir();
    const file = await writeText(dir, "from-dataset.yaml", definition("{ dataset: books, field: url }"));
    const run = await runCli(["run", file], { home });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(
      /start dataset books: no such dataset in .*datasets \(no dataset is published here yet\)/,
    );
    const runs = await runCli(["runs", "--json"], { home });
    expect(parseJson(runs)).toEqual({ runs: [] });
  });
});
