/**
 * `manifest.json`: its schema, and reading it from a version directory. A manifest that does not
 * parse, or names a different dataset or version than its directory, is not a manifest.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { EXPORT_FORMATS } from "../core/index.ts";
import { DatasetCorruptError } from "./errors.ts";
import { MANIFEST_FILE } from "./layout.ts";
import type { DatasetManifest } from "./types.ts";

const fileEntry = z.object({
  // A bare file name: a manifest must never point outside its own directory.
  path: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: z.enum(EXPORT_FORMATS),
});

/** The zod schema of a {@link DatasetManifest}; unknown keys from newer versions are ignored. */
export const manifestSchema = z.object({
  name: z.string().min(1),
  version: z.number().int().positive(),
  runId: z.string(),
  scraper: z.string(),
  createdAt: z.iso.datetime(),
  records: z.number().int().nonnegative(),
  fields: z.array(z.string()),
  files: z.array(fileEntry).min(1),
});

/** Serialises a manifest the way it is stored: pretty-printed, keys in schema order, final newline. */
export function serializeManifest(manifest: DatasetManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * Reads and checks `<dir>/manifest.json`.
 * @throws {DatasetCorruptError} when missing, unreadable, malformed, or when its name/version do
 *   not match `expected`.
 */
export async function loadManifest(
  dir: string,
  expected: { name: string; version: number },
): Promise<DatasetManifest> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new DatasetCorruptError(`cannot read ${path}`, { cause, details: { path } });
  }
  return parseManifest(text, path, expected);
}

/**
 * Parses and checks the text of a manifest; `path` names it in errors (a file, or where else it
 * was read from).
 * @throws {DatasetCorruptError} when malformed, or when its name/version do not match `expected`.
 */
export function parseManifest(
  text: string,
  path: string,
  expected: { name: string; version: number },
): DatasetManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new DatasetCorruptError(`cannot read ${path}`, { cause, details: { path } });
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    throw new DatasetCorruptError(`invalid manifest ${path}: ${result.error.issues[0]?.message ?? "?"}`, {
      cause: result.error,
      details: { path },
    });
  }
  const manifest = result.data;
  if (manifest.name !== expected.name || manifest.version !== expected.version) {
    throw new DatasetCorruptError(
      `manifest ${path} describes ${manifest.name} v${manifest.version}, not ${expected.name} v${expected.version}`,
      { details: { path } },
    );
  }
  return manifest;
}

/** Like {@link loadManifest}, but `null` instead of throwing when the manifest is not valid. */
export async function tryLoadManifest(
  dir: string,
  expected: { name: string; version: number },
): Promise<DatasetManifest | null> {
  try {
    return await loadManifest(dir, expected);
  } catch (error) {
    if (error instanceof DatasetCorruptError) return null;
    throw error;
  }
}
