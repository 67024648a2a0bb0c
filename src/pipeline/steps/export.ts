/** `export`: publishes the records as a new version of a dataset, and passes them on. */
import { z } from "zod";
import { slugSchema } from "../schema-primitives.ts";
import type { StepFactory } from "../step-factory.ts";
import { EXPORT_FORMATS, type ExportFormat, type ScrapedRecord } from "../../core/index.ts";

/** Config of `export`. */
export const exportConfigSchema = z.strictObject({
  dataset: slugSchema,
  /** Files written in the dataset version; the datasets layer defaults to `["jsonl"]`. */
  formats: z.array(z.enum(EXPORT_FORMATS)).min(1).optional(),
});

/** Validated config of `export`. */
export type ExportConfig = z.infer<typeof exportConfigSchema>;

async function* passThrough(
  input: AsyncIterable<ScrapedRecord>,
  emit: (record: ScrapedRecord) => void,
): AsyncIterable<ScrapedRecord> {
  for await (const record of input) {
    emit(record);
    yield record;
  }
}

/** The built-in `export` step kind. */
export const exportStep: StepFactory<ExportConfig> = {
  config: exportConfigSchema,
  create: (config, info) => ({
    name: info.name,
    kind: info.kind,
    filter: true,
    async run(input, emit, ctx) {
      const options =
        config.formats === undefined ? undefined : { formats: config.formats as ExportFormat[] };
      const written = await ctx.publish(config.dataset, passThrough(input, emit), options);
      return { dataset: { name: written.name, version: written.version } };
    },
  }),
};
