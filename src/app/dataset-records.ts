/**
 * A dataset version's records, queryable like a run's (sort, search, filters, cursors): read
 * through the run that published it while that run still holds exactly those records, else from
 * a record file built once from the version's `records.jsonl` (kept under `<home>/cache`).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DatasetLibrary, DatasetManifest } from "../datasets/index.ts";
import {
  buildRecordFile,
  openRecordFile,
  recordFilePath,
  RECORD_FILE_RUN,
  type RecordFile,
  type RecordStore,
  type Store,
} from "../store/index.ts";

/** Where a version's records are queried. */
export interface DatasetRecordSource {
  manifest: DatasetManifest;
  /** `records.query(runId, stage, …)` reads the version's records, in their published order. */
  records: RecordStore;
  runId: string;
  stage: number;
  /** `run`: the publishing run's stage; `file`: the version's own file. */
  from: "run" | "file";
}

/** Record files kept open at once; the least recently used is closed beyond. */
const OPEN_FILES = 4;

/** Finds (and when needed builds) the record source of dataset versions. Close it with the server. */
export class DatasetRecordSources {
  private readonly files = new Map<string, RecordFile>();
  private readonly building = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly paths: { home: string },
    private readonly datasets: DatasetLibrary,
  ) {}

  /**
   * The source of a version's records.
   * @throws {DatasetNotFoundError} when the dataset or version does not exist.
   */
  async open(name: string, version: number): Promise<DatasetRecordSource> {
    const manifest = await this.datasets.manifest(name, version);
    const stage = await this.publishingStage(manifest);
    if (stage !== null)
      return { manifest, records: this.store.records, runId: manifest.runId, stage, from: "run" };
    return { manifest, records: await this.file(manifest), runId: RECORD_FILE_RUN, stage: 0, from: "file" };
  }

  /** Closes the record files. */
  close(): void {
    for (const file of this.files.values()) file.close();
    this.files.clear();
  }

  /**
   * The stage of the export step that published the version, if its run still holds exactly the
   * version's records (an export step passes its input on unchanged, so its stage is what it wrote).
   */
  private async publishingStage(manifest: DatasetManifest): Promise<number | null> {
    if (!(await this.store.runs.get(manifest.runId))) return null;
    const steps = await this.store.steps.list(manifest.runId);
    const step = steps.find((s) => {
      const dataset = s.result?.dataset as { name?: unknown; version?: unknown } | undefined;
      return s.status === "done" && dataset?.name === manifest.name && dataset.version === manifest.version;
    });
    if (!step) return null;
    const count = await this.store.records.count(manifest.runId, step.index);
    return count === manifest.records ? step.index : null;
  }

  private async file(manifest: DatasetManifest): Promise<RecordStore> {
    const jsonl = manifest.files.find((file) => file.format === "jsonl");
    const dir = join(this.paths.home, "cache", "dataset-records");
    // Named by the version's checksum: a version republished under the same number gets a new file.
    const path = recordFilePath(dir, `${manifest.name}-v${manifest.version}-${jsonl?.sha256.slice(0, 16)}`);
    const open = this.files.get(path);
    if (open) {
      this.files.delete(path);
      this.files.set(path, open);
      return open.records;
    }
    let file = openRecordFile(path);
    if (!file) {
      let build = this.building.get(path);
      if (!build) {
        mkdirSync(dir, { recursive: true });
        build = buildRecordFile(path, this.datasets.records(manifest.name, manifest.version));
        this.building.set(path, build);
        void build.finally(() => this.building.delete(path)).catch(() => undefined);
      }
      await build;
      file = this.files.get(path) ?? openRecordFile(path)!;
    }
    this.files.set(path, file);
    if (this.files.size > OPEN_FILES) {
      const [oldest, handle] = this.files.entries().next().value!;
      handle.close();
      this.files.delete(oldest);
    }
    return file.records;
  }
}
