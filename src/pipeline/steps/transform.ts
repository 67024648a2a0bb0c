/** `transform`: compute, rename and drop fields. */
import { z } from "zod";
import type { StepFactory } from "../step-factory.ts";
import type { ScrapedRecord } from "../../core/index.ts";
import { renderTemplate, templateProblem } from "./template.ts";

const templateSchema = z.string().superRefine((text, ctx) => {
  const problem = templateProblem(text);
  if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
});

/** Config of `transform`. Applied in this order: compute, rename, drop. */
export const transformConfigSchema = z.strictObject({
  /** New field → template over the record's fields (`"${first} ${last}"`). */
  compute: z.record(z.string().min(1), templateSchema).optional(),
  /** Old name → new name. */
  rename: z.record(z.string().min(1), z.string().min(1)).optional(),
  /** Fields to remove. */
  drop: z.array(z.string().min(1)).optional(),
});

/** Validated config of `transform`. */
export type TransformConfig = z.infer<typeof transformConfigSchema>;

/** Applies a transform to one record, returning a new record (the input is not changed). */
export function transformRecord(record: ScrapedRecord, config: TransformConfig): ScrapedRecord {
  const out: ScrapedRecord = { ...record };
  for (const [field, template] of Object.entries(config.compute ?? {})) {
    out[field] = renderTemplate(template, record);
  }
  for (const [from, to] of Object.entries(config.rename ?? {})) {
    if (!(from in out)) continue;
    out[to] = out[from];
    delete out[from];
  }
  for (const field of config.drop ?? []) delete out[field];
  return out;
}

/** The built-in `transform` step kind. */
export const transformStep: StepFactory<TransformConfig> = {
  config: transformConfigSchema,
  create: (config, info) => ({
    name: info.name,
    kind: info.kind,
    async run(input, emit) {
      for await (const record of input) emit(transformRecord(record, config));
    },
  }),
};
