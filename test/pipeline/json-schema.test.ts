import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { definitionJsonSchemaText } from "../../src/pipeline/json-schema.ts";

describe("schema/scraper.schema.json", () => {
  it("equals the schema generated from zod (run `npm run schema` after changing the definition schema)", async () => {
    const committed = await readFile(new URL("../../schema/scraper.schema.json", import.meta.url), "utf8");
    expect(committed).toBe(definitionJsonSchemaText());
  });

  it("describes built-in steps and defaults", () => {
    const schema = JSON.parse(definitionJsonSchemaText());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.politeness.properties.concurrency.default).toBe(8);
    const kinds = schema.properties.steps.items.anyOf.map((s: { required?: string[] }) => s.required?.[0]);
    expect(kinds).toEqual(["validate", "dedupe", "transform", "export", undefined]);
  });
});
