import { readdir, readFile } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import type { ScraperEntry } from "../core/contract/scrapers.ts";
import { describeError } from "../core/index.ts";
import { DefinitionError, loadScraper } from "../pipeline/index.ts";

export type { ScraperEntry } from "../core/contract/scrapers.ts";

const DEFINITION_EXTENSIONS = new Set([".yaml", ".yml", ".ts", ".mts", ".js", ".mjs"]);

/**
 * The scraper definitions directly inside `folders` (not recursive), by path: YAML files with
 * `name:` and `targets:` or `start:` at the top level, code files that call `defineScraper`. Each is loaded
 * and checked; code files run their top level when loaded, as `trawl run` would.
 */
export async function findScrapers(folders: readonly string[]): Promise<ScraperEntry[]> {
  const files = new Set<string>();
  for (const folder of folders) {
    const entries = await readdir(resolve(folder), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (
        !entry.isFile() ||
        !DEFINITION_EXTENSIONS.has(extname(entry.name)) ||
        /\.(d|test|config)\.\w+$/.test(entry.name)
      ) {
        continue;
      }
      const file = join(resolve(folder), entry.name);
      if (await looksLikeScraper(file)) files.add(file);
    }
  }
  return Promise.all([...files].sort().map((file) => checkScraper(file)));
}

async function looksLikeScraper(file: string): Promise<boolean> {
  const text = await readFile(file, "utf8").catch(() => "");
  return /\.(ya?ml)$/.test(file)
    ? /^name:/m.test(text) && /^(targets|start):/m.test(text)
    : text.includes("defineScraper");
}

/**
 * Loads one definition file and reports what it is, or every problem it has. A file that does
 * not load is named by its file name (`shop.yaml`): its declared name may be the very thing broken.
 */
export async function checkScraper(file: string): Promise<ScraperEntry> {
  try {
    const scraper = await loadScraper(file);
    return {
      file,
      name: scraper.name,
      valid: true,
      problems: [],
      targets: scraper.targets.map((t) => t.name),
      steps: [
        { name: "crawl", kind: "crawl" },
        ...scraper.steps.map((s) => ({ name: s.name, kind: s.kind })),
      ],
    };
  } catch (error) {
    const problems =
      error instanceof DefinitionError
        ? error.problems.map(({ line, column, path, message }) => ({ line, column, path, message }))
        : [{ line: 0, column: 0, path: "", message: describeError(error) }];
    return { file, name: basename(file), valid: false, problems, targets: [], steps: [] };
  }
}
