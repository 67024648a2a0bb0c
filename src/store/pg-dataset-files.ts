/**
 * Dataset versions in PostgreSQL (`dataset_versions`, `dataset_files`): a version's manifest and
 * its files, cut into chunks of a megabyte (rows stay small; a file of any size streams in and
 * out). PostgreSQL compresses the chunks itself (TOAST), JSON lines and CSV compress well.
 */
import { createReadStream } from "node:fs";
import type pg from "pg";
import type { DatasetFileStore, DatasetVersionUpload, StoredDatasetManifest } from "./dataset-file-types.ts";
import { pgTransaction } from "./pg-database.ts";

/** Bytes per stored chunk of a file. */
const CHUNK_BYTES = 1024 * 1024;

/** The dataset versions of a PostgreSQL store. */
export class PgDatasetFiles implements DatasetFileStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  async manifests(name?: string): Promise<StoredDatasetManifest[]> {
    const { rows } = await this.pool.query<StoredDatasetManifest>(
      `SELECT dataset AS name, version, manifest FROM dataset_versions
       ${name === undefined ? "" : "WHERE dataset = $1"}
       ORDER BY dataset COLLATE "C", version`,
      name === undefined ? [] : [name],
    );
    return rows;
  }

  async manifest(name: string, version: number): Promise<string | null> {
    const { rows } = await this.pool.query<{ manifest: string }>(
      `SELECT manifest FROM dataset_versions WHERE dataset = $1 AND version = $2`,
      [name, version],
    );
    return rows[0]?.manifest ?? null;
  }

  /**
   * Publishers of one dataset take turns (a transaction-scoped advisory lock on its name), so each
   * gets the next number; what a transaction stored is seen by no one before its commit.
   */
  commit(
    name: string,
    floor: number,
    seal: (version: number) => Promise<DatasetVersionUpload>,
  ): Promise<number> {
    return pgTransaction(this.pool, async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`trawl.dataset:${name}`]);
      const { rows } = await client.query<{ highest: number }>(
        `SELECT coalesce(max(version), 0)::int AS highest FROM dataset_versions WHERE dataset = $1`,
        [name],
      );
      const version = Math.max(rows[0]?.highest ?? 0, floor) + 1;
      const upload = await seal(version);
      await client.query(`INSERT INTO dataset_versions (dataset, version, manifest) VALUES ($1, $2, $3)`, [
        name,
        version,
        upload.manifest,
      ]);
      for (const file of upload.files) await this.store(client, name, version, file);
      return version;
    });
  }

  adopt(name: string, version: number, upload: DatasetVersionUpload): Promise<boolean> {
    return pgTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO dataset_versions (dataset, version, manifest) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [name, version, upload.manifest],
      );
      if (rowCount !== 1) return false;
      for (const file of upload.files) await this.store(client, name, version, file);
      return true;
    });
  }

  async *readFile(name: string, version: number, file: string): AsyncGenerator<Buffer> {
    for (let chunk = 0; ; chunk++) {
      const { rows } = await this.pool.query<{ data: Buffer }>(
        `SELECT data FROM dataset_files WHERE dataset = $1 AND version = $2 AND name = $3 AND chunk = $4`,
        [name, version, file, chunk],
      );
      if (!rows[0]) return;
      yield rows[0].data;
    }
  }

  /** Streams one file into its chunks: memory holds one chunk at a time. */
  private async store(
    client: pg.PoolClient,
    name: string,
    version: number,
    file: { name: string; path: string },
  ): Promise<void> {
    let chunk = 0;
    for await (const data of createReadStream(file.path, { highWaterMark: this.chunkBytes })) {
      await client.query(
        `INSERT INTO dataset_files (dataset, version, name, chunk, data) VALUES ($1, $2, $3, $4, $5)`,
        [name, version, file.name, chunk++, data],
      );
    }
  }
}
