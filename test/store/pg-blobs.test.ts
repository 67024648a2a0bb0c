/**
 * Recorded blobs on a PostgreSQL store (issue 17, item 6): what one data directory ("machine")
 * stores, another reads from the database and keeps in its own blob folder, checked against its
 * hash; a blob the database lacks is not found; one whose bytes do not match its name is refused.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileBlobStore, type BlobStore } from "../../src/store/index.ts";
import { copyBlobsToPg } from "../../src/store/index.ts";
import { PgBlobStore } from "../../src/store/pg-blobs.ts";
import { openPgDatabase } from "../../src/store/pg-database.ts";
import { freshDatabase, type TestDatabase } from "../fixtures/postgres.ts";

let database: TestDatabase;
let pool: pg.Pool;
let dirs: string[];
let first: BlobStore;
let second: BlobStore;

beforeAll(async () => {
  database = await freshDatabase("blobs");
  pool = await openPgDatabase(database.url);
  dirs = [mkdtempSync(join(tmpdir(), "trawl-blobs-")), mkdtempSync(join(tmpdir(), "trawl-blobs-"))];
  first = new PgBlobStore(pool, dirs[0]!);
  second = new PgBlobStore(pool, dirs[1]!);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
  for (const dir of dirs ?? []) rmSync(dir, { recursive: true, force: true });
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error as { code?: string }).code,
  );

describe("PgBlobStore", () => {
  it("serves another data directory's blobs from the database and keeps them in its folder", async () => {
    const page = "<html><body>" + "café ".repeat(2000) + "</body></html>";
    const ref = await first.put(page);
    expect(await first.put(page)).toEqual(ref); // content-addressed: stored once
    expect((await pool.query("SELECT sha256, size FROM blobs")).rows).toEqual([ref]);
    expect(await new FileBlobStore(dirs[1]!).has(ref.sha256)).toBe(false);

    expect(await second.has(ref.sha256)).toBe(true);
    expect((await second.get(ref.sha256)).toString("utf8")).toBe(page);
    // Now a file of the second folder, read without the database.
    expect((await new FileBlobStore(dirs[1]!).get(ref.sha256)).toString("utf8")).toBe(page);
  });

  it("finds no blob the database lacks, and refuses one whose bytes do not match its name", async () => {
    const missing = "0".repeat(64);
    expect(await second.has(missing)).toBe(false);
    expect(await codeOf(second.get(missing))).toBe("TRAWL_ERR_STORE_BLOB_NOT_FOUND");
    expect(await codeOf(second.get("../etc/passwd"))).toBe("TRAWL_ERR_STORE_BLOB_NOT_FOUND");

    const { sha256 } = await first.put("the real body");
    const { rows } = await pool.query<{ data: Buffer }>("SELECT data FROM blobs WHERE sha256 = $1", [
      (await first.put("another body")).sha256,
    ]);
    await pool.query("UPDATE blobs SET data = $1 WHERE sha256 = $2", [rows[0]!.data, sha256]);
    expect(await codeOf(second.get(sha256))).toBe("TRAWL_ERR_STORE_BLOB_CORRUPT");
    expect(existsSync(join(dirs[1]!, sha256.slice(0, 2), `${sha256}.gz`))).toBe(false);
  });

  it("takes in a folder's blobs (trawl db copy), except a file whose content does not match its name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trawl-blobs-"));
    dirs.push(dir);
    const local = new FileBlobStore(dir);
    const [a, b, c] = [await local.put("page a"), await local.put("page b"), await local.put("page c")];
    const path = (sha256: string) => join(dir, sha256.slice(0, 2), `${sha256}.gz`);
    copyFileSync(path(b.sha256), path(a.sha256));
    await first.put("page c");
    expect(await copyBlobsToPg(dir, database.url)).toEqual({ copied: 1, present: 1, mismatched: [a.sha256] });
    expect((await second.get(b.sha256)).toString()).toBe("page b");
    expect(await second.has(a.sha256)).toBe(false);
    expect(c.size).toBe(6);
  });
});
