/** Loads TypeScript / JavaScript definitions (`export default defineScraper({...})`). */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { DefinitionError, DefinitionLoadError } from "./errors.ts";

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
 * rather than served from the module cache (`.ts` works because trawl runs under tsx).
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
  try {
    module = (await import(`${pathToFileURL(file).href}?v=${version}`)) as { default?: unknown };
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
