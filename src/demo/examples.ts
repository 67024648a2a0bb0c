/**
 * Access to the bundled example scrapers (`examples/*.yaml`). They name the demo site at its
 * default address; {@link readExample} points them at a demo site listening elsewhere.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DemoOptionsError } from "./errors.ts";

/** Absolute path of the repository's `examples/` folder. */
export const EXAMPLES_DIR = fileURLToPath(new URL("../../examples/", import.meta.url));

/** The origin the examples are written against: the demo site's default address. */
export const EXAMPLE_ORIGIN = "http://127.0.0.1:8080";

/** The example scrapers, by name (file `examples/<name>.yaml`). */
export const EXAMPLE_NAMES = [
  "bookshop",
  "jobs",
  "books-api",
  "bookshop-xpath",
  "books-sitemap",
  "books-feed",
  "books-wishlist",
  "books-search",
  "books-members",
] as const;

/**
 * Absolute path of an example definition, e.g. `examplePath("bookshop")`. Does not check that
 * the file exists.
 * @throws DemoOptionsError when the name is not a plain slug (no paths).
 */
export function examplePath(name: string): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name))
    throw new DemoOptionsError(`not an example name: ${JSON.stringify(name)}`);
  return join(EXAMPLES_DIR, `${name}.yaml`);
}

/**
 * The text of an example definition. With `siteUrl` (e.g. a demo site started on port 0), every
 * occurrence of {@link EXAMPLE_ORIGIN} is replaced by it; the rest of the text, including line
 * numbers, is unchanged.
 */
export async function readExample(name: string, siteUrl?: string): Promise<string> {
  const text = await readFile(examplePath(name), "utf8");
  return siteUrl === undefined ? text : text.replaceAll(EXAMPLE_ORIGIN, siteUrl.replace(/\/+$/, ""));
}
