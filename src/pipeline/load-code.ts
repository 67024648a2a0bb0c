/** Loads TypeScript / JavaScript definitions (`export default defineScraper({...})`). */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DefinitionError, DefinitionLoadError } from "./errors.ts";
import { replacingSteps } from "./registry.ts";

const require = createRequire(import.meta.url);

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
  const value = esModuleDefault(module.default);
  if (value === undefined) {
    const message = "no default export: write `export default defineScraper({ ... })`";
    throw new DefinitionError([{ file, line: 0, column: 0, path: "", message }]);
  }
  return { value, text };
}

/**
 * The definition a module's default export holds. A file of a folder that is no ES module package
 * (no `"type": "module"`) loads as CommonJS: tsx compiles its `export default` to
 * `exports.default`, and `import()` gives `module.exports` as the default.
 */
function esModuleDefault(exported: unknown): unknown {
  const compiled = exported as { __esModule?: boolean; default?: unknown } | null | undefined;
  return compiled?.__esModule === true ? compiled.default : exported;
}

/** Imports a definition module, TypeScript through tsx (registered before the first). */
async function importDefinition(url: string): Promise<{ default?: unknown }> {
  if (/\.(ts|mts|cts)\?/.test(url)) await registerTypeScript();
  // CommonJS modules are cached by path, not URL: a changed file must be read again.
  delete require.cache[fileURLToPath(url)];
  return (await import(url)) as { default?: unknown };
}

/** Set (on the process) once tsx's hooks are registered, by bin/trawl.js or here. */
const TSX_REGISTERED = Symbol.for("trawl.tsx-registered");

/**
 * Registers tsx for ES modules and for CommonJS: a `.ts` file of a folder without
 * `"type": "module"` loads as CommonJS, where only tsx's CommonJS hook strips its types.
 */
async function registerTypeScript(): Promise<void> {
  const process_ = process as unknown as Record<symbol, boolean | undefined>;
  if (process_[TSX_REGISTERED]) return;
  process_[TSX_REGISTERED] = true;
  (await import("tsx/esm/api")).register();
  (await import("tsx/cjs/api")).register();
}
