import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DefinitionError } from "../../src/pipeline/errors.ts";
import { compileValidated } from "../../src/pipeline/compile.ts";
import { loadYamlDefinition, parseDefinitionYaml } from "../../src/pipeline/load-yaml.ts";

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

async function problemsOf(load: () => unknown): Promise<DefinitionError> {
  try {
    await load();
  } catch (error) {
    if (error instanceof DefinitionError) return error;
    throw error;
  }
  throw new Error("expected a DefinitionError");
}

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trawl-yaml-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("YAML definitions", () => {
  it("loads the minimal bookshop definition with defaults applied", async () => {
    const { definition } = await loadYamlDefinition(fixture("bookshop.yaml"));
    expect(Object.keys(definition.pages)).toEqual(["list", "product"]);
    expect(definition.politeness).toMatchObject({
      concurrency: 8,
      rate_per_host: 10,
      robots: "obey",
      timeout: "30s",
    });
    expect(definition.steps.map((s) => s.kind)).toEqual(["validate", "dedupe", "export"]);
  });

  it("reports a syntax error with file, line and column", async () => {
    // Written at test time: a file with broken YAML cannot live in the repo (prettier checks it).
    const file = join(dir, "syntax-error.yaml");
    await writeFile(file, "name: broken\npages:\n  list: {follow: [\n  product:\n    record: {title: h1}\n");
    const error = await problemsOf(() => loadYamlDefinition(file));
    expect(error.code).toBe("TRAWL_ERR_PIPELINE_DEFINITION");
    expect(error.exitCode).toBe(2);
    expect(error.problems[0]).toMatchObject({ file, line: 4, column: 3, path: "" });
    expect(error.format().split("\n")[0]).toMatch(/syntax-error\.yaml:4:3: Flow sequence/);
  });

  it("reports every schema problem at once, each located at its field", async () => {
    const file = fixture("invalid-fields.yaml");
    const error = await problemsOf(() => loadYamlDefinition(file));
    const located = error.problems.map((p) => `${p.line}:${p.column} ${p.path}`);
    expect(located).toEqual([
      "3:1 colour",
      "7:32 pages.list.follow.0.page",
      "11:37 pages.product.record.price.type",
      "12:33 pages.product.record.sku.atr",
      "14:16 politeness.concurrency",
      "15:12 politeness.timeout",
      "17:27 steps.0.validate.required",
      "18:5 steps.1.frobnicate",
      "20:11 steps.2.name",
    ]);
    const lines = error.format().split("\n");
    expect(lines[0]).toBe(`${file}:3:1 colour: Unrecognized key: "colour"`);
    expect(lines[2]).toMatch(
      /:11:37 pages\.product\.record\.price\.type: Invalid option: expected one of "string"\|/,
    );
    expect(lines[7]).toContain('unknown step kind "frobnicate" (known: validate, dedupe, transform, export');
  });

  it("falls back to the nearest existing parent for a missing field", async () => {
    const text = "name: shop\nstart: http://h.test/\npages:\n  list:\n    records: { each: li }\n";
    const error = await problemsOf(() => parseDefinitionYaml(text, "x.yaml"));
    expect(error.problems).toEqual([
      expect.objectContaining({ line: 5, column: 14, path: "pages.list.records.fields" }),
    ]);
  });

  it("takes max_failed as a count or a percentage, and names anything else", async () => {
    const limits = (value: string) =>
      `name: shop\nstart: http://h.test/\nlimits:\n  max_failed: ${value}\npages: { page: { follow: [] } }\n`;
    const compiled = (value: string) => compileValidated(parseDefinitionYaml(limits(value), "m.yaml"));
    expect(compiled("25").limits.maxFailed).toEqual({ count: 25 });
    expect(compiled('"12.5%"').limits.maxFailed).toEqual({ share: 0.125 });
    expect(compiled("0%").limits.maxFailed).toEqual({ share: 0 });
    for (const bad of ['"10"', "-1", '"150%"', '"ten%"']) {
      const error = await problemsOf(() => parseDefinitionYaml(limits(bad), "m.yaml"));
      expect(error.problems[0], bad).toMatchObject({ line: 4, path: "limits.max_failed" });
    }
  });

  it("says what a field is when one is neither a selector nor an object", async () => {
    const field = (value: string) =>
      `name: shop\nstart: http://h.test/\npages:\n  page:\n    record: { title: ${value} }\n`;
    const error = await problemsOf(() => parseDefinitionYaml(field("12"), "f.yaml"));
    expect(error.problems[0]).toMatchObject({
      line: 5,
      path: "pages.page.record.title",
      message: 'a field is a CSS selector ("h1.title") or an object ({ css, attr, type, … }), not 12',
    });
    // A selector or an object that is wrong keeps its own, more precise problem.
    const css = await problemsOf(() => parseDefinitionYaml(field('"h1[["'), "f.yaml"));
    expect(css.problems[0]?.message).toBe("invalid CSS selector");
  });

  it("reports a bad XPath expression with file, line and field, like a bad CSS selector", async () => {
    const text = [
      "name: shop",
      "start: http://h.test/",
      "pages:",
      "  page:",
      "    follow:",
      "      - { xpath: \"//a[@rel='next']/@href\", page: page }",
      '      - { xpath: "//a[", page: page }',
      "    records:",
      '      each: { xpath: "//li" }',
      "      fields:",
      '        title: { xpath: "//h1/text()" }',
      '        upper: { xpath: "upper-case(//h1)" }',
      '        both: { css: h1, xpath: "//h1" }',
      "",
    ].join("\n");
    const error = await problemsOf(() => parseDefinitionYaml(text, "x.yaml"));
    expect(error.format().split("\n")).toEqual([
      'x.yaml:7:18 pages.page.follow.1.xpath: invalid XPath expression (XPath parse error); expected XPath 1.0 like "//h1/text()" or "//a/@href"',
      'x.yaml:12:25 pages.page.records.fields.upper.xpath: unknown XPath function "upper-case()"',
      'x.yaml:13:33 pages.page.records.fields.both.xpath: use one of "css" or "xpath", not several',
    ]);
  });

  it("reports bad JSONPath and selectors of the wrong kind for the page type's format", async () => {
    const text = [
      "name: api",
      "start: http://h.test/",
      "pages:",
      "  api:",
      "    format: json",
      "    engine: browser",
      "    follow:",
      '      - { json: "$.next[", page: api }',
      '      - { css: "a.next", page: page }',
      "    record:",
      '      title: { json: "$.title" }',
      "      name: h1",
      "  page:",
      "    record:",
      '      id: { json: "$.id" }',
      "",
    ].join("\n");
    const error = await problemsOf(() => parseDefinitionYaml(text, "j.yaml"));
    const byLine = [...error.problems].sort((a, b) => a.line - b.line);
    expect(byLine.map((p) => [p.line, p.path, p.message.slice(0, 50)])).toEqual([
      [5, "pages.api.format", "format: json page types are fetched over HTTP: rem"],
      [8, "pages.api.follow.0.json", 'invalid JSONPath (Expected "\'", "*", "-", "0", ":"'],
      [9, "pages.api.follow.1", "a format: json page type's follow rule is { json: "],
      [12, "pages.api.record.name", "a format: json page type reads a field by JSONPath"],
      [15, "pages.page.record.id.json", '"json" needs format: json on the page type'],
    ]);
  });

  it("takes a URL template with {page} once, alone in its follow rule", async () => {
    const rule = (value: string) =>
      `name: api\nstart: http://h.test/?page=1\npages:\n  api:\n    format: json\n    follow:\n      - ${value}\n`;
    expect(() =>
      parseDefinitionYaml(rule('{ template: "?page={page}", page: api }'), "t.yaml"),
    ).not.toThrow();
    const none = await problemsOf(() =>
      parseDefinitionYaml(rule('{ template: "?page=1", page: api }'), "t.yaml"),
    );
    expect(none.format()).toBe(
      't.yaml:7:21 pages.api.follow.0.template: expected a URL with "{page}" once, like "items?page={page}"',
    );
    const both = await problemsOf(() =>
      parseDefinitionYaml(rule('{ template: "?p={page}", json: "$.next", page: api }'), "t.yaml"),
    );
    expect(both.problems.map((p) => p.message)).toEqual(['"json" cannot be combined with "template"']);
  });

  it("rejects start with targets, an empty document, and alias bombs", async () => {
    const both =
      "name: s\nstart: http://h.test/\ntargets: [{name: a, start: http://h.test/}]\npages: {p: {}}\n";
    expect((await problemsOf(() => parseDefinitionYaml(both, "b.yaml"))).problems[0]!.message).toContain(
      "not both",
    );
    const neither = "name: s\npages: {p: {}}\n";
    expect((await problemsOf(() => parseDefinitionYaml(neither, "n.yaml"))).problems[0]!.message).toContain(
      "missing",
    );
    expect((await problemsOf(() => parseDefinitionYaml("", "e.yaml"))).problems[0]).toMatchObject({
      line: 1,
      path: "",
    });
    const bomb =
      "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
    expect((await problemsOf(() => parseDefinitionYaml(bomb, "bomb.yaml"))).problems).toHaveLength(1);
  });
});
