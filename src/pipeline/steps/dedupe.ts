/** `dedupe`: keeps the first record of each key. */
import { z } from "zod";
import type { StepFactory } from "../step-factory.ts";
import type { ScrapedRecord } from "../../core/index.ts";
import { DropLog } from "./drop-log.ts";

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

/** A key as a log line shows it: the value of a one-field key (`"S2"`), else the values' JSON array. */
function describeKey(record: ScrapedRecord, fields: readonly string[], key: string): string {
  const text = fields.length === 1 ? (JSON.stringify(record[fields[0]!] ?? null) ?? "") : key;
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
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
      async run(input, emit, ctx) {
        // Key → position of the record kept for it (memory grows with the distinct keys).
        const kept = new Map<string, number>();
        const drops = new DropLog(info.name, "info", ctx.log);
        const rule = `same ${fields.join(", ")}`;
        let index = 0;
        for await (const record of input) {
          index += 1;
          const key = dedupeKey(record, fields);
          const first = key === null ? undefined : kept.get(key);
          if (first !== undefined) {
            drops.drop(
              record,
              index,
              rule,
              `${rule} ${describeKey(record, fields, key!)} as record ${first}`,
            );
            continue;
          }
          if (key !== null) kept.set(key, index);
          emit(record);
        }
        const dropped = drops.finish();
        return { dropped };
      },
    };
  },
};
