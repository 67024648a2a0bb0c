/**
 * The public API for scraper authors: `import { defineScraper, registerStep } from "trawl"`.
 * Everything else is reached through the `trawl` command.
 */
export { defineScraper, registerStep } from "./pipeline/index.ts";
export type { ScrapedRecord } from "./core/index.ts";
export type {
  CompiledStep,
  HookLink,
  PageInput,
  PageOutput,
  ScraperContext,
  ScraperDefinition,
  StepContext,
  StepFactory,
  StepInfo,
  StepResult,
} from "./pipeline/index.ts";
