import type { Clock, ExportFormat, ScrapedRecord } from "../core/index.ts";
import type { SharedDatasets } from "./shared.ts";

/** `manifest.json` of one published dataset version. */
export interface DatasetManifest {
  name: string;
  version: number;
  runId: string;
  scraper: string;
  createdAt: string;
  records: number;
  /** Field names in first-seen order. */
  fields: string[];
  files: { path: string; bytes: number; sha256: string; format: ExportFormat }[];
}

/** What `publishDataset` needs. */
export interface PublishOptions {
  /** The datasets folder: `<TRAWL_HOME>/datasets`. */
  root: string;
  name: string;
  runId: string;
  scraper: string;
  records: AsyncIterable<ScrapedRecord> | Iterable<ScrapedRecord>;
  /**
   * Files to write. `jsonl` is always written (it is the canonical copy that catalog, verify and
   * the other formats read), whether listed or not.
   * @defaultValue ["jsonl"]
   */
  formats?: ExportFormat[];
  /** Aborting stops the publish: nothing is published and the temporary files are removed. */
  signal?: AbortSignal;
  /**
   * The datasets every machine sees (a PostgreSQL store): the version is committed there, in one
   * transaction, and `root` keeps a copy. @defaultValue none: `root` alone, the rename its commit
   */
  shared?: SharedDatasets;
  /** Source of `createdAt`. @defaultValue the system clock */
  clock?: Pick<Clock, "now">;
}
