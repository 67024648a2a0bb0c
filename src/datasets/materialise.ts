/**
 * A version another machine published, copied from the shared datasets into this data directory's
 * datasets folder, so the readers of files (records, verification, exports) work on it unchanged.
 * The copy is built aside (a temp directory cleanup knows), each file checked against the
 * manifest's size and SHA-256 as it arrives, and renamed into place complete.
 */
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { fsyncDir, fsyncFile, removeQuietly, writeFileDurable } from "./durable-fs.ts";
import { DatasetCorruptError } from "./errors.ts";
import { inFlightTempDirs } from "./in-flight.ts";
import {
  INVALID_PREFIX,
  MANIFEST_FILE,
  TEMP_PREFIX,
  datasetDir,
  versionDir,
  versionDirName,
} from "./layout.ts";
import { serializeManifest, tryLoadManifest } from "./manifest.ts";
import type { SharedDatasets } from "./shared.ts";
import type { DatasetManifest } from "./types.ts";

/**
 * Makes `<root>/<name>/vNNNNNN` hold the shared version `manifest` (its stored text: `text`),
 * unless it is there already (the same manifest).
 * @throws {DatasetCorruptError} when a stored file differs from what the manifest says.
 */
export async function materialiseVersion(
  root: string,
  shared: SharedDatasets,
  manifest: DatasetManifest,
  text: string,
): Promise<void> {
  const { name, version } = manifest;
  const target = versionDir(root, name, version);
  const dir = datasetDir(root, name);
  const here = await tryLoadManifest(target, { name, version });
  if (here && serializeManifest(here) === serializeManifest(manifest)) return;
  // A version of this number that is not the shared one (published here before the data directory
  // used the database): moved aside, never deleted, as cleanup does with an invalid one.
  if (here) await rename(target, join(dir, `${INVALID_PREFIX}${versionDirName(version)}-${Date.now()}`));
  const temp = join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}`);
  inFlightTempDirs.add(temp);
  try {
    await mkdir(temp, { recursive: true });
    for (const file of manifest.files) await download(shared, manifest, file, join(temp, file.path));
    await writeFileDurable(join(temp, MANIFEST_FILE), text);
    await fsyncDir(temp);
    try {
      await rename(temp, target);
    } catch (error) {
      // Another process of this data directory placed the same version first: same content.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST" && code !== "ENOTEMPTY") throw error;
    }
    await fsyncDir(dir);
  } finally {
    await removeQuietly(temp);
    inFlightTempDirs.delete(temp);
  }
}

async function download(
  shared: SharedDatasets,
  manifest: DatasetManifest,
  file: DatasetManifest["files"][number],
  path: string,
): Promise<void> {
  const hash = createHash("sha256");
  let bytes = 0;
  const out = createWriteStream(path, { flags: "wx" });
  const done = finished(out);
  done.catch(() => undefined);
  try {
    for await (const chunk of shared.readFile(manifest.name, manifest.version, file.path)) {
      hash.update(chunk);
      bytes += chunk.length;
      if (!out.write(chunk)) await once(out, "drain");
    }
    out.end();
    await done;
  } finally {
    out.destroy();
  }
  const sha256 = hash.digest("hex");
  if (bytes !== file.bytes || sha256 !== file.sha256) {
    const where = `${manifest.name} v${manifest.version} ${file.path} in the shared store`;
    throw new DatasetCorruptError(
      `${where}: ${bytes} bytes, SHA-256 ${sha256}; its manifest says ${file.bytes} bytes, ${file.sha256}`,
      { details: { path: where } },
    );
  }
  await fsyncFile(path);
}
