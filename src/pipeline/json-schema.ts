/** The JSON Schema of YAML definitions, for editors (`# yaml-language-server: $schema=…`). */
import { z } from "zod";
import { definitionSchema } from "./definition-schema.ts";
import { BUILT_IN_STEP_KINDS, getStepFactory } from "./registry.ts";
import { slugSchema } from "./schema-primitives.ts";
import { stepEntrySchema } from "./step-schema.ts";

type JsonObject = Record<string, unknown>;

function inputSchema(schema: z.ZodType): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input" }) as JsonObject;
  return rest;
}

/** The `steps:` item: one strict object per built-in kind, or any other (registered) kind. */
function stepItemJsonSchema(): JsonObject {
  const builtIns = BUILT_IN_STEP_KINDS.map((kind) => ({
    type: "object",
    properties: { name: inputSchema(slugSchema), [kind]: inputSchema(getStepFactory(kind)!.config) },
    required: [kind],
    additionalProperties: false,
  }));
  const custom = {
    type: "object",
    description: "A step kind registered by code (registerStep).",
    minProperties: 1,
    propertyNames: { not: { enum: [...BUILT_IN_STEP_KINDS] } },
  };
  return { anyOf: [...builtIns, custom] };
}

/**
 * The JSON Schema (draft 2020-12) of YAML definitions, generated from the zod schema (input
 * side: defaults shown, nothing required that has a default). `schema/scraper.schema.json` is
 * this, written by `npm run schema`; a test keeps the file in sync.
 */
export function definitionJsonSchema(): JsonObject {
  const schema = z.toJSONSchema(definitionSchema, {
    io: "input",
    override: (ctx) => {
      if (ctx.zodSchema === stepEntrySchema) {
        for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonObject)[key];
        Object.assign(ctx.jsonSchema, stepItemJsonSchema());
      }
    },
  }) as JsonObject;
  return {
    $schema: schema.$schema,
    $id: "https://github.com/trawl/trawl/schema/scraper.schema.json",
    title: "trawl scraper definition",
    description: "A trawl scraper (YAML). Reference: docs/scraper-format.md",
    ...schema,
  };
}

/** {@link definitionJsonSchema} as the exact text of `schema/scraper.schema.json`. */
export function definitionJsonSchemaText(): string {
  return `${JSON.stringify(definitionJsonSchema(), null, 2)}\n`;
}
