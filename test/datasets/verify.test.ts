import { appendFile, open, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { publishDataset, verifyDataset } from "../../src/datasets/index.ts";
import { makeTempRoot } from "./helpers.ts";

let root: string;
let dispose: () => Promise<void>;
let dir: string;
beforeEach(async () => {
  ({ root, dispose } = await makeTempRoot());
  const records = [{ a: 1, b: "x" }, { a: 2 }, { a: 3, c: [1] }];
  await publishDataset({ root, name: "ds", runId: "RUN-1", scraper: "s", records, formats: ["csv", "json"] });
  dir = join(root, "ds", "v000001");
});
afterEach(() => dispose());

describe("verifyDataset", () => {
  it("passes on an untouched version", async () => {
    expect(await verifyDataset(root, "ds")).toEqual({ name: "ds", version: 1, ok: true, problems: [] });
  });

  it("detects one modified byte", async () => {
    const handle = await open(join(dir, "records.csv"), "r+");
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, 5);
    await handle.write(Buffer.from([byte[0]! ^ 1]), 0, 1, 5);
    await handle.close();
    const result = await verifyDataset(root, "ds");
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^records\.csv: SHA-256 [0-9a-f]{64}, manifest says [0-9a-f]{64}$/);
  });

  it("detects a missing file", async () => {
    await rm(join(dir, "records.json"));
    expect(await verifyDataset(root, "ds")).toMatchObject({ ok: false, problems: ["records.json: missing"] });
  });

  it("detects an extra record, an extra file and a broken manifest", async () => {
    await appendFile(join(dir, "records.jsonl"), '{"a":4}\n');
    await writeFile(join(dir, "notes.txt"), "hi");
    const result = await verifyDataset(root, "ds");
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/^records\.jsonl: \d+ bytes, manifest says \d+$/);
    expect(result.problems[1]).toMatch(/^records\.jsonl: SHA-256 /);
    expect(result.problems.slice(2)).toEqual([
      "records.jsonl: 4 records, manifest says 3",
      "notes.txt: not listed in the manifest",
    ]);

    const manifest = await readFile(join(dir, "manifest.json"), "utf8");
    await writeFile(join(dir, "manifest.json"), manifest.slice(0, 20));
    const broken = await verifyDataset(root, "ds");
    expect(broken.ok).toBe(false);
    expect(broken.problems[0]).toContain("manifest.json");
  });
});
