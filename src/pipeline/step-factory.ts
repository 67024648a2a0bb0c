import type { z } from "zod";
import type { CompiledStep } from "./types.ts";

/** What a step factory learns about the step it builds. */
export interface StepInfo {
  /** Unique in the plan: the step's `name:` or, by default, its kind (`transform`, `transform-2`…). */
  name: string;
  kind: string;
  /** Name of the scraper. */
  scraper: string;
}

/**
 * Builds steps of one kind from their config (the value under the kind key in `steps:`).
 *
 * @typeParam C - The config after validation by `config`.
 */
export interface StepFactory<C = unknown> {
  /** Validates the config; its problems are reported with file, line and column like any other. */
  config: z.ZodType<C>;
  /** Builds the step; called once per step entry at compile time. */
  create(config: C, info: StepInfo): CompiledStep;
}
