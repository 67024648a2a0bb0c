import { dirname, resolve } from "node:path";
import { serverError } from "./errors.ts";

/**
 * `file` resolved, when it is a definition right inside one of the scraper folders; else
 * `TRAWL_ERR_HTTP_SCRAPER_NOT_FOUND`. The API reads, runs and schedules only those: a request
 * may not name any file on disk (a `.ts` definition is code). Running another path is the CLI's job.
 */
export function definitionInFolders(file: string, folders: readonly string[]): string {
  const path = resolve(file);
  if (!folders.some((folder) => dirname(path) === resolve(folder))) {
    throw serverError("TRAWL_ERR_HTTP_SCRAPER_NOT_FOUND", { file: path });
  }
  return path;
}
