/** The pipeline layer: scraper definitions (YAML and TypeScript), the step registry, the compiler. */
export type * from "./types.ts";
export { compileDefinition, loadScraper } from "./compile.ts";
export type { CompileOptions } from "./compile.ts";
export type { ParseHook, ParseHookResult } from "./compile-page.ts";
export { defineScraper } from "./define-scraper.ts";
export type { PageDefinition, ScraperDefinition } from "./define-scraper.ts";
export { definitionSchema } from "./definition-schema.ts";
export type { Definition, DefinitionInput } from "./definition-schema.ts";
export { DefinitionError, DefinitionLoadError, ParseHookError, formatProblem } from "./errors.ts";
export type { DefinitionProblem } from "./errors.ts";
export { definitionJsonSchema } from "./json-schema.ts";
export { parseDefinitionYaml } from "./load-yaml.ts";
export { registerStep, stepKinds, BUILT_IN_STEP_KINDS } from "./registry.ts";
export type { StepFactory, StepInfo } from "./step-factory.ts";
export { describeShare, describeTolerance, parseDuration, parseSize, tolerated } from "./units.ts";
export type { Tolerance } from "./units.ts";
export { PageParser, type PageParserOptions } from "./page-parser.ts";
