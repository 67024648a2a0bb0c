/**
 * Atomic, versioned publishing. A version is built in `<name>/.tmp-<pid>-<random>/`: records are
 * streamed into `records.jsonl` while their fields are collected (CSV needs the header up front),
 * then `records.csv` / `records.json` are produced by streaming the jsonl back, each file is
 * fsynced, `manifest.json` is written last and fsynced, the directory is fsynced and renamed to
 * `vNNNNNN` (the commit point), the parent is fsynced and `current` is swapped atomically.
 * A crash at any moment leaves either the complete new version or no version at all, plus
 * garbage that {@link cleanupInterruptedPublishes} removes. With shared datasets (a PostgreSQL
 * store), the commit point is instead the one transaction that stores the manifest and every file
 * there; the renamed directory is this data directory's copy.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { AbortedError, TrawlError, describeError, EXPORT_FORMATS } from "../core/index.ts";
import { fsyncDir, fsyncFile, hashFile, removeQuietly, writeFileDurable } from "./durable-fs.ts";
import { DatasetPublishError } from "./errors.ts";
import { writeRecords } from "./export.ts";
import type { WriteRecordsOptions, WriteRecordsResult } from "./export.ts";
import { inFlightTempDirs } from "./in-flight.ts";
import { readJsonl } from "./jsonl-reader.ts";
import {
  MANIFEST_FILE,
  TEMP_PREFIX,
  assertDatasetName,
  assertExportFormat,
  highestUsedVersion,
  recordsFileName,
  versionDirName,
} from "./layout.ts";
import { serializeManifest } from "./manifest.ts";
import { readPointer, writePointer } from "./pointer.ts";
import type { SharedDatasets } from "./shared.ts";
import type { DatasetManifest, PublishOptions } from "./types.ts";
import type { ExportFormat, ScrapedRecord } from "../core/index.ts";

const MAX_COMMIT_ATTEMPTS = 100;

/**
 * Publishes `options.records` as the next version of dataset `options.name` and makes it current.
 * Records are streamed; memory use does not grow with their number.
 *
 * The version number is the highest ever used in the dataset (directories, moved-aside leftovers
 * and the pointer) + 1, so numbers are never reused. Concurrent publishers of the same dataset
 * each get their own number (a rename onto an existing version fails and the next number is tried);
 * `current` only ever moves forward.
 * @returns the manifest of the new version.
 * @throws {DatasetNameError} for an unsafe name; {@link ExportFormatError} for an unknown format.
 * @throws {DatasetRecordError} for a record that cannot be stored.
 * @throws {AbortedError} when `options.signal` aborts.
 * @throws {DatasetPublishError} when the file system fails. In every failure case nothing is published.
 */
export async function publishDataset(options: PublishOptions): Promise<DatasetManifest> {
  const name = assertDatasetName(options.name);
  const formats = normaliseFormats(options.formats);
  const dir = join(options.root, name);
  const temp = join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}`);
  inFlightTempDirs.add(temp);
  try {
    await mkdir(temp, { recursive: true });
    // The dataset folder may be new: make its entry in the root durable too.
    await fsyncDir(options.root);
    const records = abortable(options.records, options.signal);
    const jsonl = await writeFormatFile(join(temp, recordsFileName("jsonl")), "jsonl", records);
    for (const format of formats.filter((f) => f !== "jsonl")) {
      const source = abortable(readJsonl(join(temp, recordsFileName("jsonl"))), options.signal);
      await writeFormatFile(join(temp, recordsFileName(format)), format, source, { fields: jsonl.fields });
    }
    const createdAt = new Date((options.clock ?? Date).now()).toISOString();
    const draft = { name, runId: options.runId, scraper: options.scraper, createdAt, ...jsonl };
    const sealed = { ...draft, files: await describeFiles(temp, formats) };
    return await (options.shared
      ? commitShared(options.shared, dir, temp, sealed)
      : commit(dir, temp, sealed));
  } catch (error) {
    await removeQuietly(temp);
    throw asPublishError(error, name);
  } finally {
    inFlightTempDirs.delete(temp);
  }
}

/** `jsonl` first, then the other requested formats in canonical order, each once. */
function normaliseFormats(formats: readonly string[] = ["jsonl"]): ExportFormat[] {
  const wanted = new Set<ExportFormat>(["jsonl", ...formats.map(assertExportFormat)]);
  return EXPORT_FORMATS.filter((format) => wanted.has(format));
}

/** Writes one file with {@link writeRecords}, then fsyncs it. `wx`: a temp file is never shared. */
async function writeFormatFile(
  path: string,
  format: ExportFormat,
  records: AsyncIterable<ScrapedRecord>,
  options: WriteRecordsOptions = {},
): Promise<WriteRecordsResult> {
  const stream = createWriteStream(path, { flags: "wx" });
  // Listening from the start: a stream error must reject here, not crash the process.
  const done = finished(stream);
  done.catch(() => undefined);
  try {
    const result = await writeRecords(records, format, stream, options);
    stream.end();
    await done;
    await fsyncFile(path);
    return result;
  } finally {
    stream.destroy();
  }
}

async function* abortable<T>(items: AsyncIterable<T> | Iterable<T>, signal?: AbortSignal): AsyncGenerator<T> {
  for await (const item of items) {
    if (signal?.aborted) throw new AbortedError("publish aborted", { cause: signal.reason });
    yield item;
  }
  if (signal?.aborted) throw new AbortedError("publish aborted", { cause: signal.reason });
}

async function describeFiles(temp: string, formats: ExportFormat[]): Promise<DatasetManifest["files"]> {
  const files: DatasetManifest["files"] = [];
  for (const format of formats) {
    const path = recordsFileName(format);
    files.push({ path, ...(await hashFile(join(temp, path))), format });
  }
  return files;
}

type ManifestDraft = Omit<DatasetManifest, "version">;

/**
 * Numbers, seals and renames the temp directory into place, then swaps the pointer. The manifest
 * carries the version number, so it is rewritten when a concurrent publisher took the number.
 */
async function commit(dir: string, temp: string, draft: ManifestDraft): Promise<DatasetManifest> {
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const version = Math.max(await highestUsedVersion(dir), (await readPointer(dir)) ?? 0) + 1;
    const manifest = orderManifest({ ...draft, version });
    await writeFileDurable(join(temp, MANIFEST_FILE), serializeManifest(manifest));
    await fsyncDir(temp);
    try {
      await rename(temp, join(dir, versionDirName(version)));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" || code === "ENOTEMPTY") continue;
      throw error;
    }
    await fsyncDir(dir);
    const current = await readPointer(dir);
    if (current === null || current < version) await writePointer(dir, version);
    return manifest;
  }
  throw new DatasetPublishError(`could not allocate a version number for ${draft.name}`);
}

/**
 * Commits the version to the shared datasets (their transaction is the commit point: every
 * machine sees the whole version from then on, none before), then keeps the temp directory as
 * this data directory's copy. The number is above the shared versions and the local ones.
 */
async function commitShared(
  shared: SharedDatasets,
  dir: string,
  temp: string,
  draft: ManifestDraft,
): Promise<DatasetManifest> {
  const floor = Math.max(await highestUsedVersion(dir), (await readPointer(dir)) ?? 0);
  let manifest: DatasetManifest | undefined;
  await shared.commit(draft.name, floor, async (version) => {
    manifest = orderManifest({ ...draft, version });
    const text = serializeManifest(manifest);
    await writeFileDurable(join(temp, MANIFEST_FILE), text);
    return {
      manifest: text,
      files: draft.files.map((file) => ({ name: file.path, path: join(temp, file.path) })),
    };
  });
  const committed = manifest!;
  // Published already: a copy that cannot be placed here is fetched again when read.
  await keepLocalCopy(dir, temp, committed.version).catch(() => removeQuietly(temp));
  return committed;
}

/** Renames a committed version's temp directory into place and moves `current` forward. */
async function keepLocalCopy(dir: string, temp: string, version: number): Promise<void> {
  await fsyncDir(temp);
  try {
    await rename(temp, join(dir, versionDirName(version)));
  } catch (error) {
    // Read (and copied here) by another process of this data directory first: the same version.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EEXIST" && code !== "ENOTEMPTY") throw error;
    await removeQuietly(temp);
  }
  await fsyncDir(dir);
  const current = await readPointer(dir);
  if (current === null || current < version) await writePointer(dir, version);
}

/** Key order of the stored manifest, for people reading it. */
function orderManifest(m: DatasetManifest): DatasetManifest {
  const { name, version, runId, scraper, createdAt, records, fields, files } = m;
  return { name, version, runId, scraper, createdAt, records, fields, files };
}

function asPublishError(error: unknown, name: string): unknown {
  if (error instanceof TrawlError) return error;
  return new DatasetPublishError(`publishing dataset ${name} failed: ${describeError(error)}`, {
    cause: error,
    details: { name },
  });
}
