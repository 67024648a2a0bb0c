/** `validate`: drops records that miss required fields or hold values of the wrong type. */
import { z } from "zod";
import { FIELD_TYPES } from "../../extract/index.ts";
import type { FieldType } from "../../extract/index.ts";
import { toleranceSchema } from "../schema-primitives.ts";
import type { StepFactory } from "../step-factory.ts";
import type { ScrapedRecord } from "../types.ts";
import { describeShare, describeTolerance, parseTolerance, tolerated } from "../units.ts";

/** Config of `validate`. */
export const validateConfigSchema = z.strictObject({
  /** Fields that must be present: not missing, `null` or an empty string. */
  required: z.array(z.string().min(1)).default([]),
  /** Field → expected type; checked only when the value is present. */
  types: z.record(z.string().min(1), z.enum(FIELD_TYPES as [FieldType, ...FieldType[]])).optional(),
  /**
   * Invalid records tolerated, as a count or a share of the records ("10%"). More fail the step,
   * so the steps after it (an export) do not run: a site whose pages changed shape does not get
   * a dataset of the few records that still passed.
   */
  max_dropped: toleranceSchema("records").optional(),
});

/** Validated config of `validate`. */
export type ValidateConfig = z.infer<typeof validateConfigSchema>;

/** Reasons logged per step; the count covers all of them. */
const LOGGED_REASONS = 5;

const isAbsent = (v: unknown): boolean => v === undefined || v === null || v === "";

const TYPE_CHECKS: Record<FieldType, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number" && Number.isFinite(v),
  integer: (v) => Number.isSafeInteger(v),
  boolean: (v) => typeof v === "boolean",
  date: (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)),
  url: (v) => typeof v === "string" && URL.canParse(v),
};

/** Why `record` is invalid, or `null` when it is valid. */
export function invalidReason(record: ScrapedRecord, config: ValidateConfig): string | null {
  for (const field of config.required) {
    if (isAbsent(record[field])) return `missing required field "${field}"`;
  }
  for (const [field, type] of Object.entries(config.types ?? {})) {
    const value = record[field];
    if (!isAbsent(value) && !TYPE_CHECKS[type](value)) {
      return `field "${field}" is not a ${type}: ${JSON.stringify(value)?.slice(0, 80)}`;
    }
  }
  return null;
}

/** The built-in `validate` step kind. */
export const validateStep: StepFactory<ValidateConfig> = {
  config: validateConfigSchema,
  create: (config, info) => {
    const maxDropped = config.max_dropped === undefined ? undefined : parseTolerance(config.max_dropped);
    return {
      name: info.name,
      kind: info.kind,
      filter: true,
      async run(input, emit, ctx) {
        let dropped = 0;
        let seen = 0;
        for await (const record of input) {
          seen += 1;
          const reason = invalidReason(record, config);
          if (reason === null) {
            emit(record);
            continue;
          }
          dropped += 1;
          if (dropped <= LOGGED_REASONS) ctx.log("warn", `${info.name}: dropped a record: ${reason}`);
        }
        if (dropped > LOGGED_REASONS) ctx.log("warn", `${info.name}: dropped ${dropped} records in all`);
        if (maxDropped && dropped > tolerated(maxDropped, seen)) {
          throw new Error(
            `dropped ${describeShare(dropped, seen, "records")} as invalid, more than max_dropped ` +
              `allows (${describeTolerance(maxDropped)}); did the pages change shape?`,
          );
        }
        return { dropped };
      },
    };
  },
};
