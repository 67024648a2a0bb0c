/** The schema of one `steps:` entry: `- <kind>: <config>` with an optional `name:`. */
import { z } from "zod";
import { flattenUnions } from "./problems.ts";
import { getStepFactory, stepKinds } from "./registry.ts";
import { slugSchema } from "./schema-primitives.ts";

/** One step entry after validation: its kind, optional name, and config validated by its kind. */
export interface StepEntry {
  kind: string;
  name?: string;
  config: unknown;
}

type PathKey = string | number;

/** Re-reports a sub-schema's issues under `prefix`, naming unknown keys in the path. */
export function addIssuesUnder(
  ctx: z.RefinementCtx,
  prefix: PathKey[],
  issues: readonly z.core.$ZodIssue[],
): void {
  for (const issue of flattenUnions(issues)) {
    const path = [...prefix, ...(issue.path as PathKey[])];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        ctx.addIssue({ code: "custom", path: [...path, key], message: `Unrecognized key: "${key}"` });
    } else {
      ctx.addIssue({ code: "custom", path, message: issue.message });
    }
  }
}

function stepKind(step: Record<string, unknown>, ctx: z.RefinementCtx): string | null {
  const kinds = Object.keys(step).filter((k) => k !== "name");
  if (kinds.length === 1) return kinds[0]!;
  const message =
    kinds.length === 0
      ? `a step needs exactly one kind key (one of: ${stepKinds().join(", ")})`
      : `a step has exactly one kind key, found ${kinds.map((k) => `"${k}"`).join(", ")}`;
  ctx.addIssue({ code: "custom", path: kinds.length > 1 ? [kinds[1]!] : [], message });
  return null;
}

function checkName(step: Record<string, unknown>, ctx: z.RefinementCtx): string | undefined {
  if (step.name === undefined) return undefined;
  const parsed = slugSchema.safeParse(step.name);
  if (parsed.success) return parsed.data;
  addIssuesUnder(ctx, ["name"], parsed.error.issues);
  return undefined;
}

/**
 * A step entry. The kind is looked up in the registry when the definition is parsed, so kinds
 * registered by code are accepted; an unknown kind is an issue naming it and listing known ones.
 */
export const stepEntrySchema = z.record(z.string(), z.unknown()).transform((step, ctx): StepEntry => {
  const kind = stepKind(step, ctx);
  const name = checkName(step, ctx);
  if (kind === null) return z.NEVER;
  const factory = getStepFactory(kind);
  if (factory === undefined) {
    ctx.addIssue({
      code: "custom",
      path: [kind],
      message: `unknown step kind "${kind}" (known: ${stepKinds().join(", ")})`,
    });
    return z.NEVER;
  }
  const config = factory.config.safeParse(step[kind]);
  if (!config.success) {
    addIssuesUnder(ctx, [kind], config.error.issues);
    return z.NEVER;
  }
  return name === undefined ? { kind, config: config.data } : { kind, name, config: config.data };
});
