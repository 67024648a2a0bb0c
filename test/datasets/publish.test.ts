import { mkdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AbortedError, UsageError } from "../../src/core/errors.ts";
import {
  DatasetNotFoundError,
  ExportFormatError,
  exportDataset,
  listDatasets,
  publishDataset,
  readManifest,
  readRecords,
  verifyDataset,
} from "../../src/datasets/index.ts";
import type { PublishOptions } from "../../src/datasets/index.ts";
import type { ScrapedRecord } from "../../src/core/index.ts";
import { MemorySink, entries, makeTempRoot, pointerOf, sha256Of } from "./helpers.ts";

let root: string;
let dispose: () => Promise<void>;
beforeEach(async () => ({ root, dispose } = await makeTempRoot()));
afterEach(() => dispose());

function options(records: PublishOptions["records"], extra: Partial<PublishOptions> = {}): PublishOptions {
  return { root, name: "books", runId: "RUN-20260101-000010", scraper: "bookshop", records, ...extra };
}

async function collect(records: AsyncIterable<ScrapedRecord>): Promise<ScrapedRecord[]> {
  const all: ScrapedRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
}

const first = [
  { title: "A, b", price: 1 },
  { title: "C", stock: null, tags: ["x"] },
];

describe("publishDataset", () => {
  it("publishes v1 then v2 with checksummed files, and moves current to the newest", async () => {
    const clock = { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) };
    const v1 = await publishDataset(options(first, { formats: ["csv", "json"], clock }));
    expect(v1).toMatchObject({
      name: "books",
      version: 1,
      runId: "RUN-20260101-000010",
      scraper: "bookshop",
      createdAt: "2026-01-02T03:04:05.000Z",
      records: 2,
      fields: ["title", "price", "stock", "tags"],
    });
    expect(v1.files.map((f) => [f.path, f.format])).toEqual([
      ["records.jsonl", "jsonl"],
      ["records.csv", "csv"],
      ["records.json", "json"],
    ]);
    const dir = join(root, "books", "v000001");
    expect(await entries(dir)).toEqual(["manifest.json", "records.csv", "records.json", "records.jsonl"]);
    for (const file of v1.files) {
      expect(await sha256Of(join(dir, file.path))).toBe(file.sha256);
      expect((await stat(join(dir, file.path))).size).toBe(file.bytes);
    }
    expect(JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"))).toEqual(v1);
    expect(await readFile(join(dir, "records.csv"), "utf8")).toBe(
      'title,price,stock,tags\n"A, b",1,,\nC,,,"[""x""]"\n',
    );
    expect(await pointerOf(root, "books")).toEqual({ version: 1 });

    const v2 = await publishDataset(options([{ only: "one" }]));
    expect(v2.version).toBe(2);
    expect(v2.files.map((f) => f.path)).toEqual(["records.jsonl"]);
    expect(await pointerOf(root, "books")).toEqual({ version: 2 });
    expect(await entries(join(root, "books"))).toEqual(["current", "v000001", "v000002"]);
    expect((await verifyDataset(root, "books", 1)).ok).toBe(true);
    expect((await verifyDataset(root, "books")).ok).toBe(true);

    expect(await collect(readRecords(root, "books"))).toEqual([{ only: "one" }]);
    expect(await collect(readRecords(root, "books", 1))).toEqual(first);
    expect((await readManifest(root, "books")).version).toBe(2);
    expect(await listDatasets(root)).toEqual([
      {
        name: "books",
        current: 2,
        versions: [
          { version: 1, records: 2, createdAt: v1.createdAt, runId: v1.runId, scraper: "bookshop" },
          { version: 2, records: 1, createdAt: v2.createdAt, runId: v2.runId, scraper: "bookshop" },
        ],
      },
    ]);
  });

  it("rejects unsafe names and unknown formats before touching the disk", async () => {
    for (const name of ["../x", "a/b", ".hidden", "", "x".repeat(101), ".."]) {
      const error = await publishDataset(options(first, { name })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect(error).toMatchObject({ code: "TRAWL_ERR_DATASET_NAME" });
    }
    await expect(publishDataset(options(first, { formats: ["xml" as "csv"] }))).rejects.toBeInstanceOf(
      ExportFormatError,
    );
    expect(await entries(root)).toEqual([]);
  });

  it("publishes nothing and leaves no temp files when the record source fails or the signal aborts", async () => {
    await publishDataset(options(first));
    async function* failing() {
      yield { a: 1 };
      throw new Error("source broke");
    }
    await expect(publishDataset(options(failing(), { formats: ["csv"] }))).rejects.toThrow("source broke");
    const controller = new AbortController();
    async function* aborting() {
      yield { a: 1 };
      controller.abort();
      yield { a: 2 };
    }
    const aborted = publishDataset(options(aborting(), { signal: controller.signal }));
    await expect(aborted).rejects.toBeInstanceOf(AbortedError);
    await expect(publishDataset(options([42 as unknown as ScrapedRecord]))).rejects.toMatchObject({
      code: "TRAWL_ERR_DATASET_RECORD",
    });
    expect(await entries(join(root, "books"))).toEqual(["current", "v000001"]);
    expect(await pointerOf(root, "books")).toEqual({ version: 1 });
  });

  it("never reuses a version number", async () => {
    await publishDataset(options(first));
    await publishDataset(options(first));
    await rm(join(root, "books", "v000002"), { recursive: true });
    expect((await publishDataset(options(first))).version).toBe(3);
    await mkdir(join(root, "books", ".invalid-v000007-1700000000000"));
    expect((await publishDataset(options(first))).version).toBe(8);
  });

  it("gives concurrent publishes distinct versions and leaves current on the newest", async () => {
    const published = await Promise.all([1, 2, 3, 4].map((n) => publishDataset(options([{ n }]))));
    expect(published.map((m) => m.version).sort()).toEqual([1, 2, 3, 4]);
    expect(await pointerOf(root, "books")).toEqual({ version: 4 });
    for (const manifest of published) {
      expect(await collect(readRecords(root, "books", manifest.version))).toHaveLength(1);
      expect((await verifyDataset(root, "books", manifest.version)).ok).toBe(true);
    }
  });

  it("streams a 100k-record dataset from an async source", async () => {
    async function* generate() {
      for (let i = 0; i < 100_000; i++) yield { i, name: `item ${i}` };
    }
    const manifest = await publishDataset(options(generate(), { name: "big", formats: ["csv"] }));
    expect(manifest.records).toBe(100_000);
    expect(await verifyDataset(root, "big")).toEqual({ name: "big", version: 1, ok: true, problems: [] });
    let count = 0;
    let last: ScrapedRecord | undefined;
    for await (const record of readRecords(root, "big")) {
      count++;
      last = record;
    }
    expect(count).toBe(100_000);
    expect(last).toEqual({ i: 99_999, name: "item 99999" });
  });

  it("exports a published version in any format, csv columns from the manifest", async () => {
    await publishDataset(options(first, { formats: ["csv"] }));
    await publishDataset(options([{ other: 1 }]));
    const csv = new MemorySink();
    expect(await exportDataset(root, "books", "csv", csv, { version: 1 })).toMatchObject({
      version: 1,
      records: 2,
    });
    expect(csv.text()).toBe(await readFile(join(root, "books", "v000001", "records.csv"), "utf8"));
    const json = new MemorySink();
    await exportDataset(root, "books", "json", json);
    expect(json.text()).toBe('[\n{"other":1}\n]\n');
  });

  it("reports unknown datasets and versions as not found", async () => {
    await expect(readManifest(root, "nope")).rejects.toBeInstanceOf(DatasetNotFoundError);
    await publishDataset(options(first));
    await expect(readManifest(root, "books", 5)).rejects.toMatchObject({
      code: "TRAWL_ERR_DATASET_NOT_FOUND",
    });
    await expect(verifyDataset(root, "books", 5)).rejects.toBeInstanceOf(DatasetNotFoundError);
    expect(await listDatasets(join(root, "missing"))).toEqual([]);
  });
});
