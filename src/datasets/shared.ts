/**
 * Datasets shared by every machine of a PostgreSQL store. The store keeps each version's manifest
 * and files (store/pg-dataset-files.ts implements this shape; the app hands it over, this layer
 * does not import the store). The datasets folder of each data directory is then a cache of it.
 */

/** A version's manifest, as its publisher wrote it. */
export interface SharedManifest {
  name: string;
  version: number;
  /** The text of `manifest.json`, byte for byte. */
  manifest: string;
}

/** What a publish stores: the manifest's text and the files it lists, on the local disk. */
export interface SharedUpload {
  manifest: string;
  files: { name: string; path: string }[];
}

/** Where the versions every machine sees are kept, and their commit point. */
export interface SharedDatasets {
  /** Every version's manifest (of one dataset, when named), by name, then version. */
  manifests(name?: string): Promise<SharedManifest[]>;
  /** One version's manifest text; `null` when there is no such version. */
  manifest(name: string, version: number): Promise<string | null>;
  /**
   * Commits the next version of `name` at once or not at all: numbers it above every version
   * there and above `floor`, lets `seal` write its manifest, stores the manifest and the files.
   * @returns the version's number.
   */
  commit(name: string, floor: number, seal: (version: number) => Promise<SharedUpload>): Promise<number>;
  /**
   * Stores a version under the number it already has, at once or not at all; `false` when there is
   * a version of that number already.
   */
  adopt(name: string, version: number, upload: SharedUpload): Promise<boolean>;
  /** The bytes of a stored file, in order. */
  readFile(name: string, version: number, file: string): AsyncIterable<Buffer>;
}
