import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { checkScraper, findScrapers } from "../../app/index.ts";
import {
  ScraperDefinitionSchema,
  ScraperListSchema,
  type ScraperDefinition,
  type ScraperList,
} from "../../core/contract/scrapers.ts";
import { serverError } from "../errors.ts";
import { definitionInFolders } from "../scraper-folders.ts";

/** Scrapers: the definitions in the configured folders, and one definition with its problems. */
export function scraperRoutes(server: FastifyInstance, folders: readonly string[]): void {
  server.get(
    "/scrapers",
    {
      schema: {
        summary: "Scraper definitions in the scraper folders, checked",
        tags: ["scrapers"],
        response: { 200: ScraperListSchema },
      },
    },
    async (): Promise<ScraperList> => ({
      folders: [...folders],
      scrapers: await findScrapers(folders),
    }),
  );

  server.get(
    "/scrapers/definition",
    {
      schema: {
        summary: "One definition file: its text, its problems and its pipeline",
        tags: ["scrapers"],
        querystring: Type.Object({ file: Type.String() }),
        response: { 200: ScraperDefinitionSchema },
      },
    },
    async (request): Promise<ScraperDefinition> => {
      const file = definitionInFolders((request.query as { file: string }).file, folders);
      const text = await readFile(file, "utf8").catch(() => {
        throw serverError("TRAWL_ERR_HTTP_SCRAPER_NOT_FOUND", `cannot read ${file}`);
      });
      const checked = await checkScraper(file);
      return {
        file,
        text,
        name: checked.name,
        valid: checked.valid,
        problems: checked.problems,
        steps: checked.steps,
      };
    },
  );
}
