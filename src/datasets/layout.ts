/**
 * Names and paths on disk: `<root>/<name>/vNNNNNN/…`, `<root>/<name>/current`,
 * `<root>/<name>/.tmp-<pid>-<random>/` (a publish in progress). See docs/datasets.md.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { DatasetNameError, ExportFormatError } from "./errors.ts";
import { EXPORT_FORMATS, type ExportFormat } from "../core/index.ts";

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const VERSION_DIR = /^v(\d{6,})$/;
/** Prefix of a publish's temporary directory. */
export const TEMP_PREFIX = ".tmp-";
/** Prefix of a version directory moved aside by cleanup because its manifest was unreadable. */
export const INVALID_PREFIX = ".invalid-";
/** Name of the pointer file, and of its temporary twin during a swap. */
export const POINTER_FILE = "current";
export const POINTER_TEMP_FILE = "current.tmp";
/** Name of the manifest inside a version directory. */
export const MANIFEST_FILE = "manifest.json";
/** True when `name` is a safe dataset name: one path segment, no leading dot, ≤ 100 characters. */
export function isDatasetName(name: string): boolean {
  return NAME_PATTERN.test(name) && !name.includes("..");
}

/**
 * Throws a {@link DatasetNameError} unless `name` is a safe dataset name.
 * @returns the name, unchanged.
 */
export function assertDatasetName(name: string): string {
  if (!isDatasetName(name)) throw new DatasetNameError(name);
  return name;
}

/** Throws an {@link ExportFormatError} unless `format` is a known export format. */
export function assertExportFormat(format: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new ExportFormatError(format);
  return format as ExportFormat;
}

/** `3` → `v000003`. */
export function versionDirName(version: number): string {
  return `v${String(version).padStart(6, "0")}`;
}

/** `v000003` → `3`; `null` for anything that is not a version directory name. */
export function parseVersionDirName(entry: string): number | null {
  const match = VERSION_DIR.exec(entry);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** The file name of a format inside a version directory (`records.csv`…). */
export function recordsFileName(format: ExportFormat): string {
  return `records.${format}`;
}

/** `<root>/<name>`, after checking the name. */
export function datasetDir(root: string, name: string): string {
  return join(root, assertDatasetName(name));
}

/** `<root>/<name>/vNNNNNN`. */
export function versionDir(root: string, name: string, version: number): string {
  return join(datasetDir(root, name), versionDirName(version));
}

/** Entries of a directory; empty when it does not exist. */
export async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Version numbers of the `vNNNNNN` directories of a dataset, ascending (validity not checked). */
export async function listVersionNumbers(dir: string): Promise<number[]> {
  const versions = (await readdirOrEmpty(dir))
    .map(parseVersionDirName)
    .filter((v): v is number => v !== null);
  return versions.sort((a, b) => a - b);
}

/**
 * The highest version number ever used in a dataset directory, counting directories that cleanup
 * moved aside (`.invalid-vNNNNNN-…`) so that a number is never handed out twice. 0 when none.
 */
export async function highestUsedVersion(dir: string): Promise<number> {
  let highest = 0;
  for (const entry of await readdirOrEmpty(dir)) {
    const bare = entry.startsWith(INVALID_PREFIX) ? entry.slice(INVALID_PREFIX.length).split("-")[0] : entry;
    const version = parseVersionDirName(bare ?? "");
    if (version !== null && version > highest) highest = version;
  }
  return highest;
}
