/** Checking a published version against its manifest, byte for byte. */
import { join } from "node:path";
import { describeError } from "../core/index.ts";
import { resolveVersion } from "./catalog.ts";
import { hashFile } from "./durable-fs.ts";
import { readJsonl } from "./jsonl-reader.ts";
import { MANIFEST_FILE, readdirOrEmpty, versionDir } from "./layout.ts";
import { loadManifest } from "./manifest.ts";
import type { VerifyResult } from "../core/contract/datasets.ts";
import type { DatasetManifest } from "./types.ts";

/** The outcome of {@link verifyDataset}. */
export type { VerifyResult } from "../core/contract/datasets.ts";

/**
 * Verifies a version (default: current): the manifest is valid; every file it lists exists with
 * the recorded byte size and SHA-256; `records.jsonl` holds exactly `records` JSON objects; no
 * other file sits in the version directory. Reads every file once, streamed.
 * @throws {DatasetNotFoundError} when the dataset or version does not exist (a corrupt one is
 *   reported through `problems`, not thrown).
 */
export async function verifyDataset(root: string, name: string, version?: number): Promise<VerifyResult> {
  const resolved = await resolveVersion(root, name, version);
  const dir = versionDir(root, name, resolved);
  const problems: string[] = [];
  let manifest: DatasetManifest;
  try {
    manifest = await loadManifest(dir, { name, version: resolved });
  } catch (error) {
    problems.push(describeError(error));
    return { name, version: resolved, ok: false, problems };
  }
  for (const file of manifest.files) problems.push(...(await checkFile(dir, file)));
  problems.push(...(await checkRecordCount(dir, manifest)));
  problems.push(...(await checkExtraFiles(dir, manifest)));
  return { name, version: resolved, ok: problems.length === 0, problems };
}

async function checkFile(dir: string, file: DatasetManifest["files"][number]): Promise<string[]> {
  let actual: { bytes: number; sha256: string };
  try {
    actual = await hashFile(join(dir, file.path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [`${file.path}: missing`];
    return [`${file.path}: unreadable (${describeError(error)})`];
  }
  const problems: string[] = [];
  if (actual.bytes !== file.bytes)
    problems.push(`${file.path}: ${actual.bytes} bytes, manifest says ${file.bytes}`);
  if (actual.sha256 !== file.sha256) {
    problems.push(`${file.path}: SHA-256 ${actual.sha256}, manifest says ${file.sha256}`);
  }
  return problems;
}

async function checkRecordCount(dir: string, manifest: DatasetManifest): Promise<string[]> {
  const jsonl = manifest.files.find((file) => file.format === "jsonl");
  if (!jsonl) return ["manifest lists no jsonl file"];
  let count = 0;
  try {
    for await (const _record of readJsonl(join(dir, jsonl.path))) count++;
  } catch (error) {
    // A missing file was already reported by checkFile.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    return [describeError(error)];
  }
  return count === manifest.records
    ? []
    : [`${jsonl.path}: ${count} records, manifest says ${manifest.records}`];
}

async function checkExtraFiles(dir: string, manifest: DatasetManifest): Promise<string[]> {
  const listed = new Set([MANIFEST_FILE, ...manifest.files.map((file) => file.path)]);
  const entries = (await readdirOrEmpty(dir)).filter((entry) => !listed.has(entry)).sort();
  return entries.map((entry) => `${entry}: not listed in the manifest`);
}
