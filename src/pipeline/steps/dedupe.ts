/** `dedupe`: keeps the first record of each key. */
import { z } from "zod";
import type { StepFactory } from "../step-factory.ts";
import type { ScrapedRecord } from "../types.ts";

/** Config of `dedupe`: the key field, or several fields forming one key. */
export const dedupeConfigSchema = z.strictObject({
  key: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
});

/** Validated config of `dedupe`. */
export type DedupeConfig = z.infer<typeof dedupeConfigSchema>;

/**
 * The dedupe key of a record, or `null` when every key field is missing (such records are kept:
 * merging all key-less records into one would lose data silently).
 */
export function dedupeKey(record: ScrapedRecord, fields: readonly string[]): string | null {
  const values = fields.map((f) => record[f] ?? null);
  return values.every((v) => v === null) ? null : JSON.stringify(values);
}

/** The built-in `dedupe` step kind. Memory grows with the number of distinct keys. */
export const dedupeStep: StepFactory<DedupeConfig> = {
  config: dedupeConfigSchema,
  create: (config, info) => {
    const fields = typeof config.key === "string" ? [config.key] : config.key;
    return {
      name: info.name,
      kind: info.kind,
      filter: true,
      identity: fields,
      async run(input, emit) {
        const seen = new Set<string>();
        let dropped = 0;
        for await (const record of input) {
          const key = dedupeKey(record, fields);
          if (key !== null && seen.has(key)) {
            dropped += 1;
            continue;
          }
          if (key !== null) seen.add(key);
          emit(record);
        }
        return { dropped };
      },
    };
  },
};
