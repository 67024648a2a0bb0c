/** Loads TypeScript / JavaScript definitions (`export default defineScraper({...})`). */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { DefinitionError, DefinitionLoadError } from "./errors.ts";
import { replacingSteps } from "./registry.ts";

/** Definition files imported so far in this process (by URL without the version). */
const imported = new Set<string>();

/** File extensions loaded as code; everything else is read as YAML. */
export const CODE_EXTENSIONS = [".ts", ".mts", ".js", ".mjs"] as const;

/** Whether `file` is loaded by {@link loadCodeModule} rather than as YAML. */
export function isCodeFile(file: string): boolean {
  return CODE_EXTENSIONS.some((ext) => file.endsWith(ext));
}

/**
 * Imports a definition module and returns its default export, unvalidated, with the file's text.
 *
 * The import URL carries a hash of the text, so a file changed on disk is imported afresh
 * rather than served from the module cache. TypeScript loads through tsx: registered already
 * when trawl runs from its sources, registered here at the first `.ts` file when it runs from its
 * bundle.
 *
 * @throws DefinitionLoadError when the file cannot be read or its module throws on import;
 *   DefinitionError when it has no default export.
 */
export async function loadCodeModule(file: string): Promise<{ value: unknown; text: string }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new DefinitionLoadError(file, "cannot read the definition file", { cause });
  }
  const version = createHash("sha256").update(text).digest("hex").slice(0, 16);
  let module: { default?: unknown };
  const url = pathToFileURL(file).href;
  try {
    // A new version of a file imported before registers its steps again: they replace the old.
    module = imported.has(url)
      ? await replacingSteps(() => importDefinition(`${url}?v=${version}`))
      : await importDefinition(`${url}?v=${version}`);
    imported.add(url);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new DefinitionLoadError(file, `cannot import the definition: ${why}`, { cause });
  }
  if (module.default === undefined) {
    const message = "no default export: write `export default defineScraper({ ... })`";
    throw new DefinitionError([{ file, line: 0, column: 0, path: "", message }]);
  }
  return { value: module.default, text };
}

/** Imports a definition module; a `.ts` file Node cannot load yet gets tsx registered, then a retry. */
async function importDefinition(url: string): Promise<{ default?: unknown }> {
  try {
    return (await import(url)) as { default?: unknown };
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
    const { register } = await import("tsx/esm/api");
    register();
    // Another URL: the failed one may stay cached as failed.
    return (await import(`${url}&tsx`)) as { default?: unknown };
  }
}
