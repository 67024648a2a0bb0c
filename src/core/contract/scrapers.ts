/**
 * The shapes of scraper definitions as the API serves them (GET /api/scrapers and
 * /api/scrapers/definition) and the web app reads them. Imports nothing but TypeBox.
 */
import { Type, type Static } from "typebox";

/** What is wrong in a definition file, and where. */
export const DefinitionProblemSchema = Type.Object({
  /** 1-based; 0 when the source has no positions (a TypeScript object, a load error). */
  line: Type.Integer({ minimum: 0 }),
  /** 1-based; 0 when the source has no positions. */
  column: Type.Integer({ minimum: 0 }),
  /** Dotted path of the offending field, e.g. `pages.item.record.title`; "" for the whole file. */
  path: Type.String(),
  message: Type.String(),
});
export type DefinitionProblem = Static<typeof DefinitionProblemSchema>;

/** A step of a scraper's pipeline: `crawl` first, then the steps after the crawl. */
export const PipelineStepSchema = Type.Object({ name: Type.String(), kind: Type.String() });
export type PipelineStep = Static<typeof PipelineStepSchema>;

/** A definition file found in a scraper folder, checked. */
export const ScraperEntrySchema = Type.Object({
  /** Absolute path of the definition file. */
  file: Type.String(),
  /**
   * The scraper's name; the file's name (`shop.yaml`) when the file does not load, so the
   * definition that needs fixing can still be named and opened.
   */
  name: Type.String(),
  valid: Type.Boolean(),
  /** Empty when valid. */
  problems: Type.Array(DefinitionProblemSchema),
  /** Target names; empty when invalid. */
  targets: Type.Array(Type.String()),
  /** Empty when invalid. */
  steps: Type.Array(PipelineStepSchema),
});
export type ScraperEntry = Static<typeof ScraperEntrySchema>;

/** GET /api/scrapers: the folders looked in and the definitions found there, by path. */
export const ScraperListSchema = Type.Object({
  folders: Type.Array(Type.String()),
  scrapers: Type.Array(ScraperEntrySchema),
});
export type ScraperList = Static<typeof ScraperListSchema>;

/** GET /api/scrapers/definition: one definition file, its text and what is wrong with it. */
export const ScraperDefinitionSchema = Type.Object({
  file: Type.String(),
  /** The file as it is on disk. */
  text: Type.String(),
  /** As in {@link ScraperEntrySchema}: the file's name when it does not load. */
  name: Type.String(),
  valid: Type.Boolean(),
  problems: Type.Array(DefinitionProblemSchema),
  steps: Type.Array(PipelineStepSchema),
});
export type ScraperDefinition = Static<typeof ScraperDefinitionSchema>;
