/**
 * Dataset versions kept in the database (PostgreSQL only): each version's manifest and files, so
 * every machine on the database reads what any of them published. The datasets layer describes
 * the same shape (`SharedDatasets`); the app hands this one over.
 */

/** A version's manifest, as its publisher wrote it. */
export interface StoredDatasetManifest {
  name: string;
  version: number;
  /** The text of `manifest.json`, byte for byte. */
  manifest: string;
}

/** What a publish stores: the manifest's text and the files it lists, read from the local disk. */
export interface DatasetVersionUpload {
  manifest: string;
  files: { name: string; path: string }[];
}

/** The database's dataset versions. */
export interface DatasetFileStore {
  /** Every stored version's manifest (of one dataset, when named), by name (bytewise), then version. */
  manifests(name?: string): Promise<StoredDatasetManifest[]>;
  /** One version's manifest text; `null` when the database has no such version. */
  manifest(name: string, version: number): Promise<string | null>;
  /**
   * Commits the next version of `name` in one transaction, the version's commit point: numbers it
   * (above every stored version and above `floor`), lets `seal` write its manifest, stores the
   * manifest and every file. Nothing is stored when any part fails (`seal` included).
   * @returns the version's number.
   */
  commit(
    name: string,
    floor: number,
    seal: (version: number) => Promise<DatasetVersionUpload>,
  ): Promise<number>;
  /**
   * Stores a version under the number it already has (a data directory's own versions, moved in by
   * `trawl db copy`), in one transaction; `false` when the database has that version already.
   */
  adopt(name: string, version: number, upload: DatasetVersionUpload): Promise<boolean>;
  /** The bytes of a stored file, in order; nothing for an unknown or empty file. */
  readFile(name: string, version: number, file: string): AsyncIterable<Buffer>;
}
