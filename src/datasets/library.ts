/**
 * The datasets of one data directory, as the app, the commands and the server read and publish
 * them. Alone, the datasets folder is the truth. With shared datasets (a PostgreSQL store), the
 * shared store is: listings and manifests come from it, so every machine sees every version, and
 * a version's files are copied into the folder the first time they are read here (checked
 * against the manifest), after which the file readers serve them.
 */
import type { Writable } from "node:stream";
import type { ExportFormat, ScrapedRecord } from "../core/index.ts";
import {
  listValidVersions,
  readCatalog,
  readManifest,
  readRecords,
  summariseEntry,
  versionSummary,
  type DatasetCatalogEntry,
  type DatasetSummary,
  type DatasetVersionSummary,
} from "./catalog.ts";
import { DatasetCorruptError, DatasetNotFoundError } from "./errors.ts";
import { exportDataset, type ExportDatasetOptions } from "./export-dataset.ts";
import type { WriteRecordsResult } from "./export.ts";
import { assertDatasetName, versionDir } from "./layout.ts";
import { materialiseVersion } from "./materialise.ts";
import { loadManifest, parseManifest, serializeManifest } from "./manifest.ts";
import { publishDataset } from "./publish.ts";
import type { SharedDatasets, SharedManifest } from "./shared.ts";
import type { DatasetManifest, PublishOptions } from "./types.ts";
import { verifyDataset, type VerifyResult } from "./verify.ts";

/** A shared version's manifest, parsed, with its stored text. */
interface Resolved {
  manifest: DatasetManifest;
  text: string;
}

/** The datasets folder `root`, and the shared datasets it caches when there are any. */
export class DatasetLibrary {
  constructor(
    /** The datasets folder: `<TRAWL_HOME>/datasets`. */
    readonly root: string,
    private readonly shared?: SharedDatasets,
  ) {}

  /** Every dataset with at least one valid version, by name (see `listDatasets`). */
  async list(): Promise<DatasetSummary[]> {
    return (await this.catalog()).map(summariseEntry);
  }

  /**
   * Every dataset with the manifests of its valid versions (see `readCatalog`). With shared
   * datasets this is one read of the shared store, however many versions there are.
   */
  async catalog(): Promise<DatasetCatalogEntry[]> {
    if (!this.shared) return readCatalog(this.root);
    const byName = new Map<string, DatasetManifest[]>();
    for (const { manifest } of await this.valid(await this.shared.manifests())) {
      const manifests = byName.get(manifest.name) ?? [];
      manifests.push(manifest);
      byName.set(manifest.name, manifests);
    }
    return [...byName].map(([name, manifests]) => ({ name, current: manifests.at(-1)!.version, manifests }));
  }

  /** The valid versions of one dataset, oldest first. */
  async versions(name: string): Promise<DatasetVersionSummary[]> {
    if (!this.shared) return listValidVersions(this.root, name);
    const stored = await this.shared.manifests(assertDatasetName(name));
    return (await this.valid(stored)).map(({ manifest }) => versionSummary(manifest));
  }

  /** A version's manifest (default: the current one, the newest). See `readManifest`. */
  async manifest(name: string, version?: number): Promise<DatasetManifest> {
    if (!this.shared) return readManifest(this.root, name, version);
    return (await this.resolve(name, version)).manifest;
  }

  /** A version's records, streamed (see `readRecords`). */
  async *records(name: string, version?: number): AsyncGenerator<ScrapedRecord> {
    yield* readRecords(this.root, name, await this.local(name, version));
  }

  /**
   * Verifies a version (see `verifyDataset`). With shared datasets: the copy here, fetched first
   * when missing, and its manifest against the shared one; a stored file that does not match its
   * manifest is a problem reported.
   */
  async verify(name: string, version?: number): Promise<VerifyResult> {
    if (!this.shared) return verifyDataset(this.root, name, version);
    const resolved = await this.resolve(name, version);
    const { version: number } = resolved.manifest;
    try {
      await materialiseVersion(this.root, this.shared, resolved.manifest, resolved.text);
    } catch (error) {
      if (!(error instanceof DatasetCorruptError)) throw error;
      return { name, version: number, ok: false, problems: [error.message] };
    }
    const result = await verifyDataset(this.root, name, number);
    const here = await loadManifest(versionDir(this.root, name, number), { name, version: number }).catch(
      () => null,
    );
    if (here && serializeManifest(here) !== serializeManifest(resolved.manifest))
      result.problems.push("manifest.json: differs from the shared store's manifest");
    return { ...result, ok: result.problems.length === 0 };
  }

  /** Streams a version's records to `out` in `format` (see `exportDataset`). */
  async export(
    name: string,
    format: ExportFormat,
    out: Writable,
    options: ExportDatasetOptions = {},
  ): Promise<WriteRecordsResult & { version: number }> {
    const version = await this.local(name, options.version);
    return exportDataset(this.root, name, format, out, { ...options, version });
  }

  /** Publishes the next version (see `publishDataset`): to the shared datasets when there are. */
  publish(options: Omit<PublishOptions, "root" | "shared">): Promise<DatasetManifest> {
    return publishDataset({ ...options, root: this.root, ...(this.shared && { shared: this.shared }) });
  }

  /**
   * The version to read, its files in the datasets folder: without shared datasets, `version` as
   * given (the file readers resolve it); with them, resolved there and copied here when missing.
   */
  private async local(name: string, version?: number): Promise<number | undefined> {
    if (!this.shared) return version;
    const { manifest, text } = await this.resolve(name, version);
    await materialiseVersion(this.root, this.shared, manifest, text);
    return manifest.version;
  }

  /**
   * A shared version (default: the newest valid one).
   * @throws {DatasetNotFoundError} when there is none; {@link DatasetCorruptError} when its stored
   *   manifest is not valid.
   */
  private async resolve(name: string, version?: number): Promise<Resolved> {
    const shared = this.shared!;
    assertDatasetName(name);
    if (version === undefined) {
      const newest = (await this.valid(await shared.manifests(name))).at(-1);
      if (!newest)
        throw new DatasetNotFoundError(`dataset ${name} has no current version`, { details: { name } });
      return newest;
    }
    const text = Number.isInteger(version) && version >= 1 ? await shared.manifest(name, version) : null;
    if (text === null)
      throw new DatasetNotFoundError(`dataset ${name} has no version ${version}`, {
        details: { name, version },
      });
    return { manifest: parseManifest(text, where(name, version), { name, version }), text };
  }

  /** The stored manifests that parse and match their row (others are skipped, as invalid folders are). */
  private async valid(stored: SharedManifest[]): Promise<Resolved[]> {
    const valid: Resolved[] = [];
    for (const { name, version, manifest: text } of stored) {
      try {
        valid.push({ manifest: parseManifest(text, where(name, version), { name, version }), text });
      } catch (error) {
        if (!(error instanceof DatasetCorruptError)) throw error;
      }
    }
    return valid;
  }
}

/** How a shared manifest is named in errors. */
function where(name: string, version: number): string {
  return `${name} v${version} (shared store)`;
}
