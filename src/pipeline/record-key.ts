/**
 * A scraper's record key: the fields that identify one record across runs ("what changed since
 * the last run" matches records by it). Declared by the top-level `key:`, else the key of the last
 * `dedupe` step; without either, runs are compared record by record in order (by position).
 */
import { z } from "zod";

const fieldNameSchema = z.string().min(1, "a key field name cannot be empty");

/** `key:`: one field name, or a list of field names that together identify a record. */
export const keySchema = z
  .union([fieldNameSchema, z.array(fieldNameSchema).min(1, "a key needs at least one field")], {
    error: "expected a field name or a list of field names",
  })
  .superRefine((key, ctx) => {
    if (typeof key === "string") return;
    key.forEach((field, i) => {
      if (key.indexOf(field) !== i)
        ctx.addIssue({ code: "custom", path: [i], message: `"${field}" is listed twice in the key` });
    });
  });

/** Steps whose effect on a record's field names is known: the built-in ones. */
const FIELD_PRESERVING_STEPS = new Set(["validate", "dedupe", "export"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * The field names of the records a definition's last step emits, when they can be known without
 * running it: null when a page has a `parse` hook or a step of a kind registered by code (either
 * may add any field). Reads unvalidated input, so it trusts nothing.
 */
export function finalFieldNames(def: Record<string, unknown>): Set<string> | null {
  const fields = new Set<string>();
  for (const page of Object.values(isObject(def.pages) ? def.pages : {})) {
    if (!isObject(page) || page.parse !== undefined) return null;
    const records = isObject(page.records) ? page.records.fields : undefined;
    for (const map of [page.record, records])
      if (isObject(map)) Object.keys(map).forEach((f) => fields.add(f));
  }
  for (const step of Array.isArray(def.steps) ? def.steps : []) {
    const { kind, config } = stepParts(step);
    if (kind === "transform") applyTransform(fields, config);
    else if (kind === undefined || !FIELD_PRESERVING_STEPS.has(kind)) return null;
  }
  return fields;
}

/** A step's kind and config, parsed (`{ kind, config }`) or as written (`{ dedupe: {…} }`). */
function stepParts(step: unknown): { kind?: string; config?: unknown } {
  if (!isObject(step)) return {};
  if (typeof step.kind === "string" && "config" in step) return { kind: step.kind, config: step.config };
  const kind = Object.keys(step).find((k) => k !== "name");
  return kind === undefined ? {} : { kind, config: step[kind] };
}

/** What a `transform` step does to field names: compute adds, rename moves, drop removes. */
function applyTransform(fields: Set<string>, config: unknown): void {
  if (!isObject(config)) return;
  if (isObject(config.compute)) Object.keys(config.compute).forEach((f) => fields.add(f));
  if (isObject(config.rename)) {
    for (const [from, to] of Object.entries(config.rename)) {
      if (!fields.delete(from) || typeof to !== "string") continue;
      fields.add(to);
    }
  }
  if (Array.isArray(config.drop)) config.drop.forEach((f) => typeof f === "string" && fields.delete(f));
}

/**
 * Reports each `key:` field that the final records cannot have (a typo, or a field a transform
 * renamed or dropped), listing the fields they do have. Silent when those are not knowable.
 */
export function checkKeyFields(def: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const key = def.key;
  const list = typeof key === "string" ? [key] : Array.isArray(key) ? key : [];
  if (list.length === 0) return;
  const fields = finalFieldNames(def);
  if (fields === null || fields.size === 0) return;
  list.forEach((field, i) => {
    if (typeof field !== "string" || fields.has(field)) return;
    const message = `key field "${field}" is not a field of the final records (they have: ${[...fields].join(", ")})`;
    ctx.addIssue({ code: "custom", path: typeof key === "string" ? ["key"] : ["key", i], message });
  });
}

/**
 * The record key of a compiled plan: the declared `key:`, else the identity of its last step
 * that has one (a dedupe's key), else undefined (records are compared by position).
 */
export function resolveRecordKey(
  declared: string | readonly string[] | undefined,
  steps: readonly { identity?: readonly string[] }[],
): readonly string[] | undefined {
  if (declared !== undefined) return typeof declared === "string" ? [declared] : [...declared];
  return steps.findLast((step) => step.identity !== undefined)?.identity;
}
