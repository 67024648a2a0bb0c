/**
 * Dataset versions in PostgreSQL (issue 17, item 6), at the datasets layer: two datasets folders
 * ("machines") over one database. Publishing is all-or-nothing there too: a publish that fails
 * inside its transaction leaves no version on either machine; concurrent publishers get distinct
 * numbers; a stored file that does not match its manifest is reported, never read.
 */
import { appendFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScrapedRecord } from "../../src/core/index.ts";
import {
  DatasetCorruptError,
  DatasetLibrary,
  DatasetPublishError,
  publishDataset,
  shareLocalVersions,
} from "../../src/datasets/index.ts";
import { openPgDatabase } from "../../src/store/pg-database.ts";
import { PgDatasetFiles } from "../../src/store/pg-dataset-files.ts";
import { freshDatabase, type TestDatabase } from "../fixtures/postgres.ts";
import { makeTempRoot } from "./helpers.ts";

let database: TestDatabase;
let pool: pg.Pool;
const roots: { root: string; dispose: () => Promise<void> }[] = [];
let first: DatasetLibrary;
let second: DatasetLibrary;

beforeAll(async () => {
  database = await freshDatabase("shared_datasets");
  pool = await openPgDatabase(database.url);
  // Chunks of a kilobyte: a small dataset spans several, so a failure can come between them.
  const files = new PgDatasetFiles(pool, 1024);
  roots.push(await makeTempRoot(), await makeTempRoot());
  first = new DatasetLibrary(roots[0]!.root, files);
  second = new DatasetLibrary(roots[1]!.root, files);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
  for (const { dispose } of roots) await dispose();
});

const records: ScrapedRecord[] = Array.from({ length: 200 }, (_, i) => ({
  title: `Book ${i}`,
  price: i / 4,
}));
const publish = (library: DatasetLibrary, runId = "RUN-20261206-000001") =>
  library.publish({ name: "books", runId, scraper: "bookshop", records, formats: ["jsonl", "csv"] });

async function collect(items: AsyncIterable<ScrapedRecord>): Promise<ScrapedRecord[]> {
  const all: ScrapedRecord[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function rows(table: string): Promise<number> {
  return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
}

describe("dataset versions shared through PostgreSQL", () => {
  it("publishes all or nothing: a transaction failing between two chunks leaves no version anywhere", async () => {
    await pool.query(`
      CREATE FUNCTION refuse_chunk() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.chunk = 3 THEN RAISE EXCEPTION 'disk full (test)'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_chunk BEFORE INSERT ON dataset_files FOR EACH ROW EXECUTE FUNCTION refuse_chunk();
    `);
    const failed = await publish(first).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(DatasetPublishError);
    expect((failed as Error).message).toContain("disk full (test)");
    expect(await first.list()).toEqual([]);
    expect(await second.list()).toEqual([]);
    expect([await rows("dataset_versions"), await rows("dataset_files")]).toEqual([0, 0]);
    // Nothing left in the publisher's folder either: no version, no temp directory.
    expect(await readdir(join(roots[0]!.root, "books"))).toEqual([]);

    await pool.query(`DROP TRIGGER refuse_chunk ON dataset_files`);
    const [a, b] = await Promise.all([publish(first), publish(second, "RUN-20261206-000002")]);
    expect([a.version, b.version].sort()).toEqual([1, 2]);
    for (const library of [first, second]) {
      expect((await library.list()).map((d) => [d.name, d.current, d.versions.length])).toEqual([
        ["books", 2, 2],
      ]);
      for (const version of [1, 2]) {
        expect(await library.verify("books", version)).toEqual({
          name: "books",
          version,
          ok: true,
          problems: [],
        });
        expect(await collect(library.records("books", version))).toEqual(records);
      }
    }
  });

  it("lists every version's manifest in one read of the shared store", async () => {
    let reads = 0;
    const files = new PgDatasetFiles(pool);
    const counted = new Proxy(files, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (key === "manifest" || key === "manifests") reads++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const library = new DatasetLibrary(roots[1]!.root, counted);
    const [books] = await library.catalog();
    expect(reads).toBe(1);
    expect(books?.manifests.map((m) => m.version)).toEqual([1, 2]);
    for (const manifest of books!.manifests)
      expect(manifest).toEqual(await second.manifest("books", manifest.version));
  });

  it("takes in a data directory's own versions under their numbers, except one that does not verify", async () => {
    const local = await makeTempRoot();
    roots.push(local);
    const options = { root: local.root, runId: "RUN-20261206-000009", scraper: "s", records };
    for (const name of ["old-a", "old-a", "old-b"]) await publishDataset({ ...options, name });
    await appendFile(join(local.root, "old-b", "v000001", "records.jsonl"), "{}\n");
    const shared = new PgDatasetFiles(pool);
    expect(await shareLocalVersions(local.root, shared)).toEqual({
      copied: 2,
      present: 0,
      problems: [expect.stringMatching(/^old-b v1: records\.jsonl: \d+ bytes, manifest says/)],
    });
    expect(await shareLocalVersions(local.root, shared)).toMatchObject({ copied: 0, present: 2 });
    const listed = await second.list();
    expect(listed.filter((d) => d.name.startsWith("old-")).map((d) => [d.name, d.current])).toEqual([
      ["old-a", 2],
    ]);
    expect(await collect(second.records("old-a", 1))).toEqual(records);
  });

  it("reads the shared version, not another of the same number published here before", async () => {
    const own = [{ title: "published here, on SQLite" }];
    await publishDataset({
      root: roots[1]!.root,
      name: "clash",
      runId: "RUN-20261206-000010",
      scraper: "s",
      records: own,
    });
    await first.publish({ name: "clash", runId: "RUN-20261206-000011", scraper: "s", records });
    expect(await collect(second.records("clash", 1))).toEqual(records);
    const entries = await readdir(join(roots[1]!.root, "clash"));
    expect(entries.filter((e) => e.startsWith(".invalid-v000001-"))).toHaveLength(1); // moved aside, kept
    expect(await second.verify("clash", 1)).toMatchObject({ ok: true });
  });

  it("reports a stored file that differs from its manifest, and never copies it", async () => {
    const third = await publish(first, "RUN-20261206-000003");
    await pool.query(`UPDATE dataset_files SET data = '\\x00' WHERE version = $1 AND name = 'records.csv'`, [
      third.version,
    ]);
    const result = await second.verify("books", third.version);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.stringMatching(/^books v3 records\.csv in the shared store: 3 bytes, .*manifest says \d+ bytes/),
    ]);
    await expect(collect(second.records("books", third.version))).rejects.toBeInstanceOf(DatasetCorruptError);
    expect((await readdir(join(roots[1]!.root, "books"))).filter((e) => e !== "current")).toEqual([
      "v000001",
      "v000002",
    ]);
    // The publisher's own copy is intact and says so.
    expect((await first.verify("books", third.version)).ok).toBe(true);
  });
});
