/**
 * Compiles `start:` entries: URLs stay URLs; `{ file }` and `{ dataset }` become start sources the
 * run reads when it starts (a file's path resolved against the definition's folder).
 */
import { extname, resolve } from "node:path";
import { formBody, jsonBody } from "../core/index.ts";
import { compactReferences } from "../fetch/index.ts";
import { CSV_DELIMITERS, type StartPost, type StartSource } from "./start-schema.ts";

/** A POST `start:` entry the schema accepted. */
export interface PostStartEntry {
  url: string;
  method: "POST";
  form?: Record<string, string | number | boolean> | undefined;
  json?: unknown;
}

/** A `start:` entry the schema accepted. */
export type StartEntry =
  string | { file: string; column?: string } | { dataset: string; field: string } | PostStartEntry;

/** A target's start, compiled: its URLs, its POST requests, and the sources that give more. */
export interface CompiledStart {
  urls: string[];
  posts: StartPost[];
  sources: StartSource[];
}

/** The body a POST entry sends: its JSON, else its form (empty without one). */
function postOf(entry: PostStartEntry): StartPost {
  const body = entry.json !== undefined ? jsonBody(entry.json) : formBody(entry.form ?? {});
  return { url: compactReferences(entry.url), body };
}

/** Splits `start` into URLs and sources; `baseDir` is the folder relative file paths start from. */
export function compileStart(start: StartEntry | StartEntry[], baseDir: string): CompiledStart {
  const compiled: CompiledStart = { urls: [], posts: [], sources: [] };
  for (const entry of Array.isArray(start) ? start : [start]) {
    if (typeof entry === "string") compiled.urls.push(compactReferences(entry));
    else if ("method" in entry) compiled.posts.push(postOf(entry));
    else if ("file" in entry) {
      const delimiter = CSV_DELIMITERS[extname(entry.file).toLowerCase()];
      compiled.sources.push({
        kind: "file",
        file: entry.file,
        path: resolve(baseDir, entry.file),
        ...(entry.column !== undefined && { column: entry.column }),
        // A file named otherwise but given a column is read as CSV with commas.
        ...(entry.column !== undefined && { delimiter: delimiter ?? "," }),
      });
    } else compiled.sources.push({ kind: "dataset", dataset: entry.dataset, field: entry.field });
  }
  return compiled;
}

/** Describes a source for logs and messages: `file urls.csv (column url)`, `dataset books (field url)`. */
export function describeStartSource(source: StartSource): string {
  if (source.kind === "dataset") return `dataset ${source.dataset} (field ${source.field})`;
  return source.column === undefined
    ? `file ${source.file}`
    : `file ${source.file} (column ${source.column})`;
}
