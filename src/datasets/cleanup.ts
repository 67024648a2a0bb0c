/**
 * Removal of what interrupted publishes leave behind. Called once when the app starts; safe to
 * call at any time (publishes in flight are recognised and left alone).
 */
import { isProcessAlive } from "../core/index.ts";
import { rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { fsyncDir, removeQuietly } from "./durable-fs.ts";
import { inFlightTempDirs } from "./in-flight.ts";
import {
  INVALID_PREFIX,
  POINTER_TEMP_FILE,
  TEMP_PREFIX,
  isDatasetName,
  parseVersionDirName,
  readdirOrEmpty,
} from "./layout.ts";
import { tryLoadManifest } from "./manifest.ts";
import { readPointer, writePointer } from "./pointer.ts";

/** What {@link cleanupInterruptedPublishes} did; paths are absolute. */
export interface CleanupReport {
  /** Temp directories and `current.tmp` files deleted. */
  removed: string[];
  /** `vNNNNNN` directories without a valid manifest, renamed to `.invalid-vNNNNNN-<time>`. */
  quarantined: string[];
  /** Dataset folders whose `current` was missing or dangling and now names the newest valid version. */
  repairedPointers: string[];
}

/**
 * Cleans every dataset under `root` (a missing root is fine):
 * - deletes `.tmp-<pid>-*` directories, except those of publishes still running (in this process,
 *   or in a live process whose pid is in the name);
 * - deletes `current.tmp`;
 * - moves aside (never deletes: it may be someone's data) any `vNNNNNN` directory whose manifest
 *   is missing or invalid. The publish protocol cannot produce one; it signals outside
 *   interference or disk trouble. Its number stays used.
 * - when `current` is missing, unreadable or names a version that is not there, points it at the
 *   newest valid version. A valid version newer than `current` (a crash between the rename and the
 *   pointer swap) is left as it is: complete and listed, but not current.
 * Checksums are not verified here (that is {@link verifyDataset}'s job, and costs a full read).
 */
export async function cleanupInterruptedPublishes(root: string): Promise<CleanupReport> {
  const report: CleanupReport = { removed: [], quarantined: [], repairedPointers: [] };
  for (const name of await readdirOrEmpty(root)) {
    if (!isDatasetName(name) || !(await isDirectory(join(root, name)))) continue;
    await cleanupDataset(join(root, name), name, report);
  }
  return report;
}

async function cleanupDataset(dir: string, name: string, report: CleanupReport): Promise<void> {
  const valid: number[] = [];
  for (const entry of await readdirOrEmpty(dir)) {
    const path = join(dir, entry);
    if ((entry.startsWith(TEMP_PREFIX) && isAbandoned(path, entry)) || entry === POINTER_TEMP_FILE) {
      await removeQuietly(path);
      report.removed.push(path);
      continue;
    }
    const version = parseVersionDirName(entry);
    if (version === null) continue;
    if (await tryLoadManifest(path, { name, version })) valid.push(version);
    else report.quarantined.push(await quarantine(dir, entry));
  }
  await repairPointer(dir, valid, report);
  await fsyncDir(dir);
}

function isAbandoned(path: string, entry: string): boolean {
  if (inFlightTempDirs.has(path)) return false;
  const pid = Number(entry.slice(TEMP_PREFIX.length).split("-")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return true;
  return !isProcessAlive(pid);
}

async function quarantine(dir: string, entry: string): Promise<string> {
  const target = join(dir, `${INVALID_PREFIX}${entry}-${Date.now()}`);
  await rename(join(dir, entry), target);
  return target;
}

async function repairPointer(dir: string, valid: number[], report: CleanupReport): Promise<void> {
  const current = await readPointer(dir);
  if (current !== null && valid.includes(current)) return;
  const newest = Math.max(0, ...valid);
  if (newest === 0) return;
  await writePointer(dir, newest);
  report.repairedPointers.push(dir);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
