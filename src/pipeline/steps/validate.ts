/** `validate`: drops records that miss required fields or hold values of the wrong type. */
import { z } from "zod";
import { FIELD_TYPES } from "../../extract/index.ts";
import type { FieldType } from "../../extract/index.ts";
import { toleranceSchema } from "../schema-primitives.ts";
import type { StepFactory } from "../step-factory.ts";
import type { ScrapedRecord } from "../../core/index.ts";
import { describeShare, describeTolerance, parseTolerance, tolerated } from "../units.ts";
import { DropLog } from "./drop-log.ts";
import { pipelineError } from "../errors.ts";

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

const isAbsent = (v: unknown): boolean => v === undefined || v === null || v === "";

const TYPE_CHECKS: Record<FieldType, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number" && Number.isFinite(v),
  integer: (v) => Number.isSafeInteger(v),
  boolean: (v) => typeof v === "boolean",
  date: (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)),
  url: (v) => typeof v === "string" && URL.canParse(v),
};

/** The rule a record breaks: `rule` names it (drops are counted per rule), `value` is what failed it. */
export interface Violation {
  rule: string;
  value?: string;
}

/** The first rule `record` breaks, or `null` when it is valid. */
export function violationOf(record: ScrapedRecord, config: ValidateConfig): Violation | null {
  for (const field of config.required) {
    if (isAbsent(record[field])) return { rule: `missing required field "${field}"` };
  }
  for (const [field, type] of Object.entries(config.types ?? {})) {
    const value = record[field];
    if (!isAbsent(value) && !TYPE_CHECKS[type](value)) {
      return { rule: `field "${field}" is not a ${type}`, value: JSON.stringify(value)?.slice(0, 80) ?? "" };
    }
  }
  return null;
}

/** Why `record` is invalid (the rule and the value that broke it), or `null` when it is valid. */
export function invalidReason(record: ScrapedRecord, config: ValidateConfig): string | null {
  const violation = violationOf(record, config);
  if (!violation) return null;
  return violation.value === undefined ? violation.rule : `${violation.rule}: ${violation.value}`;
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
        const drops = new DropLog(info.name, "warn", ctx.log);
        let seen = 0;
        for await (const record of input) {
          seen += 1;
          const violation = violationOf(record, config);
          if (violation === null) {
            emit(record);
            continue;
          }
          const detail =
            violation.value === undefined ? violation.rule : `${violation.rule}: ${violation.value}`;
          drops.drop(record, seen, violation.rule, detail);
        }
        const dropped = drops.finish();
        if (maxDropped && dropped > tolerated(maxDropped, seen)) {
          throw pipelineError(
            "TRAWL_ERR_PIPELINE_TOO_MANY_DROPPED",
            `dropped ${describeShare(dropped, seen, "records")} as invalid, more than max_dropped ` +
              `allows (${describeTolerance(maxDropped)}); did the pages change shape?`,
          );
        }
        return { dropped };
      },
    };
  },
};
