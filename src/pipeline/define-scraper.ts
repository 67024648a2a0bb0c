/**
 * `defineScraper`: scrapers written in TypeScript. The object has exactly the shape of the YAML
 * format, keys in snake_case (`max_pages`, `rate_per_host`…) so one reference
 * (docs/scraper-format.md) covers both, plus three hooks: `setup`, `cleanup` and per-page `parse`.
 */
import type { z } from "zod";
import type { ParseHook } from "./compile-page.ts";
import type { basePageSchema, definitionSchema } from "./definition-schema.ts";
import type { ScraperContext } from "./types.ts";

/** A page type in TypeScript: the YAML keys plus an optional `parse` hook. */
export interface PageDefinition extends z.input<typeof basePageSchema> {
  /**
   * Custom parsing, given the page and a cheerio `$` of its body. Runs after the declared
   * `record`/`records`/`follow` of the same page; what it returns is appended (records as an
   * array, or `{ records?, links? }`; relative link URLs are resolved against the page).
   */
  parse?: ParseHook;
}

/** A scraper definition in TypeScript (snake_case keys, as in YAML). */
export interface ScraperDefinition extends Omit<z.input<typeof definitionSchema>, "pages"> {
  pages: Record<string, PageDefinition>;
  /** Runs once before the crawl (log in, warm a cache…). An error fails the run. */
  setup?(ctx: ScraperContext): Promise<void> | void;
  /** Runs once after the crawl, also after a failure or stop. */
  cleanup?(ctx: ScraperContext): Promise<void> | void;
}

/**
 * Declares a scraper in TypeScript; export it as the module's default export:
 *
 * ```ts
 * export default defineScraper({ name: "shop", start: "https://shop.test/", pages: { list: { … } } });
 * ```
 *
 * Returns its argument unchanged (validation happens when the file is loaded, with every problem
 * reported at once); it exists for type checking and editor completion.
 */
export function defineScraper<const T extends ScraperDefinition>(definition: T): T {
  return definition;
}
