/**
 * Moving a data directory's own dataset versions into the shared datasets (`trawl db copy`): each
 * valid version, verified first, stored under its own number, one transaction each.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { listDatasets } from "./catalog.ts";
import { MANIFEST_FILE, versionDir } from "./layout.ts";
import { loadManifest } from "./manifest.ts";
import type { SharedDatasets } from "./shared.ts";
import { verifyDataset } from "./verify.ts";

/** What {@link shareLocalVersions} did. */
export interface ShareReport {
  /** Versions stored. */
  copied: number;
  /** Versions the shared datasets had already (same number), left as they were there. */
  present: number;
  /** Versions not copied because they do not verify, one line each. */
  problems: string[];
}

/** Copies every valid version under `root` into `shared`; a version failing `verifyDataset` is not. */
export async function shareLocalVersions(root: string, shared: SharedDatasets): Promise<ShareReport> {
  const report: ShareReport = { copied: 0, present: 0, problems: [] };
  for (const dataset of await listDatasets(root)) {
    for (const { version } of dataset.versions) {
      const { name } = dataset;
      const verified = await verifyDataset(root, name, version);
      if (!verified.ok) {
        report.problems.push(`${name} v${version}: ${verified.problems.join("; ")}`);
        continue;
      }
      const dir = versionDir(root, name, version);
      const manifest = await loadManifest(dir, { name, version });
      const upload = {
        manifest: await readFile(join(dir, MANIFEST_FILE), "utf8"),
        files: manifest.files.map((file) => ({ name: file.path, path: join(dir, file.path) })),
      };
      if (await shared.adopt(name, version, upload)) report.copied++;
      else report.present++;
    }
  }
  return report;
}
