/** Reading published datasets: which exist, their manifests, their records. */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { DatasetNotFoundError } from "./errors.ts";
import { readJsonl } from "./jsonl-reader.ts";
import {
  assertDatasetName,
  isDatasetName,
  listVersionNumbers,
  readdirOrEmpty,
  recordsFileName,
  versionDir,
} from "./layout.ts";
import { loadManifest, tryLoadManifest } from "./manifest.ts";
import { readPointer } from "./pointer.ts";
import type { DatasetManifest } from "./types.ts";
import type { ScrapedRecord } from "../core/index.ts";

/** One published version, as listed by {@link listDatasets}. */
export interface DatasetVersionSummary {
  version: number;
  records: number;
  createdAt: string;
  runId: string;
  scraper: string;
}

/** One dataset, as listed by {@link listDatasets}. */
export interface DatasetSummary {
  name: string;
  /** The version `current` points to; `null` when there is no (readable) pointer. */
  current: number | null;
  /** Valid versions, oldest first. */
  versions: DatasetVersionSummary[];
}

/** One dataset with the manifests of its valid versions, oldest first (see {@link readCatalog}). */
export interface DatasetCatalogEntry {
  name: string;
  /** The version `current` points to; `null` when there is no (readable) pointer. */
  current: number | null;
  manifests: DatasetManifest[];
}

/**
 * Every dataset under `root` that has at least one valid version, sorted by name, with the
 * manifests of its valid versions. Version directories without a valid manifest are not listed
 * (cleanup moves them aside). A missing root gives `[]`.
 */
export async function readCatalog(root: string): Promise<DatasetCatalogEntry[]> {
  const names = (await readdirOrEmpty(root)).filter(isDatasetName).sort();
  const datasets: DatasetCatalogEntry[] = [];
  for (const name of names) {
    const manifests = await listValidManifests(root, name);
    if (manifests.length > 0)
      datasets.push({ name, current: await readPointer(join(root, name)), manifests });
  }
  return datasets;
}

/** {@link readCatalog}, each version summarised. */
export async function listDatasets(root: string): Promise<DatasetSummary[]> {
  return (await readCatalog(root)).map(summariseEntry);
}

/** The manifests of one dataset's valid versions, oldest first; `[]` when it has none. */
export async function listValidManifests(root: string, name: string): Promise<DatasetManifest[]> {
  const manifests: DatasetManifest[] = [];
  for (const version of await listVersionNumbers(join(root, name))) {
    const manifest = await tryLoadManifest(versionDir(root, name, version), { name, version });
    if (manifest) manifests.push(manifest);
  }
  return manifests;
}

/** The valid versions of one dataset, oldest first; `[]` when it has none. */
export async function listValidVersions(root: string, name: string): Promise<DatasetVersionSummary[]> {
  return (await listValidManifests(root, name)).map(versionSummary);
}

/** A catalog entry with its versions summarised. */
export function summariseEntry({ name, current, manifests }: DatasetCatalogEntry): DatasetSummary {
  return { name, current, versions: manifests.map(versionSummary) };
}

/** What a listing shows of a version. */
export function versionSummary(manifest: DatasetManifest): DatasetVersionSummary {
  const { version, records, createdAt, runId, scraper } = manifest;
  return { version, records, createdAt, runId, scraper };
}

/**
 * The version to read: `version` when given (it must exist), else the one `current` points to.
 * @throws {DatasetNotFoundError} when the dataset, the version or the pointer does not exist.
 * @throws {DatasetNameError} for an unsafe name.
 */
export async function resolveVersion(root: string, name: string, version?: number): Promise<number> {
  assertDatasetName(name);
  if (version === undefined) {
    const current = await readPointer(join(root, name));
    if (current === null)
      throw new DatasetNotFoundError(`dataset ${name} has no current version`, { details: { name } });
    return current;
  }
  if (!Number.isInteger(version) || version < 1 || !(await exists(versionDir(root, name, version)))) {
    throw new DatasetNotFoundError(`dataset ${name} has no version ${version}`, {
      details: { name, version },
    });
  }
  return version;
}

/**
 * The manifest of a version (default: current).
 * @throws {DatasetNotFoundError} when it does not exist; {@link DatasetCorruptError} when it is invalid.
 */
export async function readManifest(root: string, name: string, version?: number): Promise<DatasetManifest> {
  const resolved = await resolveVersion(root, name, version);
  const dir = versionDir(root, name, resolved);
  if (!(await exists(dir))) {
    throw new DatasetNotFoundError(`dataset ${name} has no version ${resolved}`, {
      details: { name, version: resolved },
    });
  }
  return loadManifest(dir, { name, version: resolved });
}

/**
 * The records of a version (default: current), streamed from its `records.jsonl`. The version is
 * resolved when iteration starts.
 * @throws the errors of {@link readManifest}, and {@link DatasetCorruptError} on a bad line.
 */
export async function* readRecords(
  root: string,
  name: string,
  version?: number,
): AsyncGenerator<ScrapedRecord> {
  const manifest = await readManifest(root, name, version);
  yield* readJsonl(join(versionDir(root, name, manifest.version), recordsFileName("jsonl")));
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
