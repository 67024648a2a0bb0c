/** The top-level `key:` of definitions: validated with file, line and field; compiled with the dedupe key as default. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileDefinition, defineScraper, loadScraper } from "../../src/pipeline/index.ts";
import { DefinitionError } from "../../src/pipeline/errors.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trawl-key-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const shop = (tail: string[]) =>
  [
    "name: shop",
    "start: https://shop.example/",
    "pages:",
    "  product:",
    "    record: { title: h1, sku: .sku, isbn: .isbn }",
    ...tail,
    "",
  ].join("\n");

async function load(name: string, text: string) {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  return { file, load: () => loadScraper(file) };
}

async function problemsOf(text: string): Promise<{ file: string; error: DefinitionError }> {
  const { file, load: run } = await load(`bad-${Math.random().toString(36).slice(2)}`, text);
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DefinitionError))
    throw new Error(`expected a DefinitionError, got ${String(error)}`);
  return { file, error };
}

describe("key:", () => {
  it("takes one field or a list of fields, and otherwise the last dedupe step's key", async () => {
    expect((await (await load("one", shop(["key: isbn"]))).load()).key).toEqual(["isbn"]);
    expect((await (await load("two", shop(["key: [sku, isbn]"]))).load()).key).toEqual(["sku", "isbn"]);
    const deduped = shop(["steps:", "  - dedupe: { key: title }", "  - dedupe: { key: sku }"]);
    expect((await (await load("dedupe", deduped)).load()).key).toEqual(["sku"]);
    // A declared key wins over the dedupe key.
    const both = shop(["key: isbn", "steps:", "  - dedupe: { key: sku }"]);
    expect((await (await load("both", both)).load()).key).toEqual(["isbn"]);
    expect((await (await load("none", shop([]))).load()).key).toBeUndefined();
  });

  it("names file, line and field of a key that is not a field name", async () => {
    const { file, error } = await problemsOf(shop(["key: 12"]));
    expect(error.problems).toEqual([
      expect.objectContaining({
        file,
        line: 6,
        path: "key",
        message: "expected a field name or a list of field names",
      }),
    ]);
    const listed = await problemsOf(shop(["key: [sku, sku]"]));
    expect(listed.error.problems).toEqual([
      expect.objectContaining({ line: 6, path: "key.1", message: '"sku" is listed twice in the key' }),
    ]);
    const empty = await problemsOf(shop(["key: []"]));
    expect(empty.error.problems[0]).toMatchObject({ path: "key", message: "a key needs at least one field" });
  });

  it("rejects a key field the final records do not have, after transforms", async () => {
    const typo = await problemsOf(shop(["key: isbm"]));
    expect(typo.error.problems).toEqual([
      expect.objectContaining({
        line: 6,
        path: "key",
        message: 'key field "isbm" is not a field of the final records (they have: title, sku, isbn)',
      }),
    ]);
    const renamed = await problemsOf(
      shop(["key: [title, sku]", "steps:", "  - transform: { rename: { sku: code }, drop: [isbn] }"]),
    );
    expect(renamed.error.problems).toEqual([
      expect.objectContaining({
        line: 6,
        path: "key.1",
        message: 'key field "sku" is not a field of the final records (they have: title, code)',
      }),
    ]);
    // A computed field is a field of the final records.
    const computed = shop([
      "key: label",
      "steps:",
      '  - transform: { compute: { label: "${sku}-${isbn}" } }',
    ]);
    expect((await (await load("computed", computed)).load()).key).toEqual(["label"]);
  });

  it("is part of defineScraper, and not checked against fields a parse hook may add", () => {
    const definition = defineScraper({
      name: "coded",
      start: "https://shop.example/",
      key: ["id"],
      pages: { product: { record: { title: "h1" }, parse: () => [{ id: 1 }] } },
    });
    expect(compileDefinition(definition).key).toEqual(["id"]);
    expect(() =>
      compileDefinition({ ...definition, key: "", pages: { p: { record: { title: "h1" } } } }),
    ).toThrow(/key: a key field name cannot be empty/);
  });
});
