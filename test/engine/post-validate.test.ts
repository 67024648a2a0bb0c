/**
 * `trawl validate` on a POST follow rule that sends its JSON body as `json:` (a start request's
 * key; a follow rule's `json` is its JSONPath): the error names the file, line and field, says
 * what `json` is and what to write instead, and exits 2. The same rule with `body_json:` is valid.
 * A start entry's body written `body_json:` (the other way round) says to write `json:`.
 */
import { describe, expect, it } from "vitest";
import { makeWorkDir, parseJson, runCli, writeText } from "../cli/run-cli.ts";

const definition = (body: string) => `name: api-follow
start: http://127.0.0.1:9/home
pages:
  home:
    follow:
      - css: a.api
        page: results
        method: POST
        ${body}
  results:
    format: json
    record:
      title: { json: "$.title" }
`;

const START_BODY_JSON = `name: api-start
start:
  - url: http://127.0.0.1:9/api/search
    method: POST
    body_json: { q: lantern }
pages:
  results:
    format: json
    record:
      title: { json: "$.title" }
`;

interface Problem {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

describe("trawl validate on a follow rule's JSON body", () => {
  it("written json: instead of body_json: says so with file, line and field, exit 2", async () => {
    const { dir, home } = await makeWorkDir();
    const wrong = await writeText(dir, "wrong.yaml", definition("json: { q: lantern, tags: [a] }"));
    const right = await writeText(dir, "right.yaml", definition("body_json: { q: lantern, tags: [a] }"));
    const onStart = await writeText(dir, "start.yaml", START_BODY_JSON);
    const [plain, json, valid, start] = await Promise.all([
      runCli(["validate", wrong], { home }),
      runCli(["validate", wrong, "--json"], { home }),
      runCli(["validate", right], { home }),
      runCli(["validate", onStart], { home }),
    ]);
    const message =
      `a follow rule's "json" is the JSONPath its links are read by (like "$.next"); a POST's JSON ` +
      `body is "body_json": write body_json: {"q":"lantern","tags":["a"]} with method: POST`;
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain(`${wrong}:9:15 pages.home.follow.0.json: ${message}`);
    expect(json.code).toBe(2);
    const problems = parseJson<{ error: { code: string; details: { problems: Problem[] } } }>(json).error;
    expect(problems.code).toBe("TRAWL_ERR_PIPELINE_DEFINITION");
    expect(problems.details.problems).toEqual([
      { file: wrong, line: 9, column: 15, path: "pages.home.follow.0.json", message },
    ]);
    expect(valid.code, valid.stderr).toBe(0);
    // The other way round: a start entry's body written body_json:.
    expect(start.code).toBe(2);
    expect(start.stderr).toContain(
      `${onStart}:5:5 start.0.body_json: Unrecognized key: "body_json": a start entry's JSON body is ` +
        `"json" ("body_json" is a follow rule's): write json: {"q":"lantern"}`,
    );
  });
});
