/**
 * The component registry: step kinds by name. Built-in kinds (validate, dedupe, transform,
 * export) are always present; code registers more with {@link registerStep} before a definition
 * that uses them is loaded.
 */
import { z } from "zod";
import { pipelineError } from "./errors.ts";
import type { StepFactory, StepInfo } from "./step-factory.ts";
import { dedupeStep } from "./steps/dedupe.ts";
import { exportStep } from "./steps/export.ts";
import { transformStep } from "./steps/transform.ts";
import { validateStep } from "./steps/validate.ts";
import type { CompiledStep } from "./types.ts";

/** The step kinds trawl ships with. */
export const BUILT_IN_STEP_KINDS = ["validate", "dedupe", "transform", "export"] as const;

/**
 * One registry per process, however many copies of this module are loaded: the `trawl` command
 * runs from its bundle while a TypeScript definition's `import { registerStep } from "trawl"`
 * loads the sources, and both must see the same kinds.
 */
const REGISTRY = Symbol.for("trawl.step-factories");
const shared = globalThis as { [REGISTRY]?: Map<string, StepFactory<never>> };
const factories = (shared[REGISTRY] ??= new Map<string, StepFactory<never>>([
  ["validate", validateStep as StepFactory<never>],
  ["dedupe", dedupeStep as StepFactory<never>],
  ["transform", transformStep as StepFactory<never>],
  ["export", exportStep as StepFactory<never>],
]));

const KIND = /^[a-z][a-z0-9_-]{0,63}$/;

/** Reloads of definition modules in progress: their steps replace the earlier versions'. */
const RELOADS = Symbol.for("trawl.step-reloads");
const reloads = ((globalThis as { [RELOADS]?: { active: number } })[RELOADS] ??= { active: 0 });

/**
 * Runs `work` (importing a new version of a definition module that was imported before) with
 * re-registration allowed: a long-running `serve` or `scheduler` picks up an edited file whose
 * `registerStep` calls would otherwise fail as duplicates.
 */
export async function replacingSteps<T>(work: () => Promise<T>): Promise<T> {
  reloads.active++;
  try {
    return await work();
  } finally {
    reloads.active--;
  }
}

/**
 * Registers a step kind usable in `steps:` as `- <kind>: <config>`.
 *
 * @param factory - A {@link StepFactory}, or a bare function `(config, info) => CompiledStep`
 *   whose config is passed through unvalidated.
 * @throws `TRAWL_ERR_PIPELINE_STEP_KIND` when the kind is not a slug, is `name`, or
 *   is already registered (registering twice is almost always two plugins fighting).
 */
export function registerStep<C>(
  kind: string,
  factory: StepFactory<C> | ((config: unknown, info: StepInfo) => CompiledStep),
): void {
  if (!KIND.test(kind) || kind === "name") {
    throw pipelineError(
      "TRAWL_ERR_PIPELINE_STEP_KIND",
      `invalid step kind "${kind}": expected a lower-case slug`,
    );
  }
  if (factories.has(kind) && (BUILT_IN_STEP_KINDS as readonly string[]).includes(kind)) {
    throw pipelineError("TRAWL_ERR_PIPELINE_STEP_KIND", `step kind "${kind}" is built in`);
  }
  if (factories.has(kind) && reloads.active === 0) {
    throw pipelineError("TRAWL_ERR_PIPELINE_STEP_KIND", `step kind "${kind}" is already registered`);
  }
  const normalised: StepFactory<unknown> =
    typeof factory === "function"
      ? { config: z.unknown(), create: factory }
      : (factory as StepFactory<unknown>);
  factories.set(kind, normalised as StepFactory<never>);
}

/** The factory of `kind`, or `undefined` when no such kind is registered. */
export function getStepFactory(kind: string): StepFactory<unknown> | undefined {
  return factories.get(kind) as StepFactory<unknown> | undefined;
}

/** Registered step kinds, built-ins first, in registration order. */
export function stepKinds(): string[] {
  return [...factories.keys()];
}
