import { describe, expect, it } from "vitest";
import {
  CsvFieldsError,
  DatasetRecordError,
  ExportFormatError,
  collectFields,
  writeRecords,
} from "../../src/datasets/index.ts";
import type { ExportFormat, ScrapedRecord } from "../../src/core/index.ts";
import { MemorySink } from "./helpers.ts";

const sample: ScrapedRecord[] = [
  {
    id: 1,
    title: "Hello, world",
    quote: 'She said "hi"',
    note: "line1\nline2",
    tags: ["a", "b"],
    meta: { x: 1, y: "z" },
    missing: null,
  },
  { id: 2, title: "plain", skipped: undefined, extra: true },
];

async function render(format: ExportFormat, records: ScrapedRecord[], fields?: string[]): Promise<string> {
  const sink = new MemorySink();
  await writeRecords(records, format, sink, fields ? { fields } : {});
  return sink.text();
}

describe("writeRecords", () => {
  it("writes jsonl: one object per line, undefined values dropped", async () => {
    expect(await render("jsonl", sample)).toBe(
      '{"id":1,"title":"Hello, world","quote":"She said \\"hi\\"","note":"line1\\nline2","tags":["a","b"],"meta":{"x":1,"y":"z"},"missing":null}\n' +
        '{"id":2,"title":"plain","extra":true}\n',
    );
  });

  it("writes json as an array, one record per line", async () => {
    expect(await render("json", sample)).toBe(
      '[\n{"id":1,"title":"Hello, world","quote":"She said \\"hi\\"","note":"line1\\nline2","tags":["a","b"],"meta":{"x":1,"y":"z"},"missing":null},\n' +
        '{"id":2,"title":"plain","extra":true}\n]\n',
    );
    expect(JSON.parse(await render("json", sample))).toHaveLength(2);
  });

  it("writes csv with quoting, JSON-encoded nested values and empty cells for null/missing", async () => {
    const fields = await collectFields(sample);
    expect(fields).toEqual(["id", "title", "quote", "note", "tags", "meta", "missing", "extra"]);
    expect(await render("csv", sample, fields)).toBe(
      "id,title,quote,note,tags,meta,missing,extra\n" +
        '1,"Hello, world","She said ""hi""","line1\nline2","[""a"",""b""]","{""x"":1,""y"":""z""}",,\n' +
        "2,plain,,,,,,true\n",
    );
  });

  it("writes empty outputs", async () => {
    expect(await render("jsonl", [])).toBe("");
    expect(await render("json", [])).toBe("[]\n");
    expect(await render("csv", [], ["a", "b"])).toBe("a,b\n");
    expect(await render("csv", [])).toBe("");
  });

  it("takes csv columns from the first record when no fields are given, and refuses to drop data", async () => {
    expect(await render("csv", [{ a: 1, b: 2 }, { b: 3 }])).toBe("a,b\n1,2\n,3\n");
    await expect(render("csv", [{ a: 1 }, { a: 2, c: 3 }])).rejects.toBeInstanceOf(CsvFieldsError);
    await expect(render("csv", [{ a: 1, c: 2 }], ["a"])).rejects.toMatchObject({
      code: "TRAWL_ERR_DATASET_CSV_FIELDS",
    });
  });

  it("escapes formulas only when asked", async () => {
    const sink = new MemorySink();
    await writeRecords([{ f: "=1+1" }], "csv", sink, { escapeFormulas: true });
    expect(sink.text()).toBe("f\n'=1+1\n");
    expect(await render("csv", [{ f: "=1+1" }])).toBe("f\n=1+1\n");
  });

  it("rejects records that are not plain objects or not serialisable", async () => {
    await expect(render("jsonl", [[1, 2] as unknown as ScrapedRecord])).rejects.toBeInstanceOf(
      DatasetRecordError,
    );
    await expect(render("jsonl", [{ n: 1n }])).rejects.toMatchObject({ code: "TRAWL_ERR_DATASET_RECORD" });
    await expect(render("xml" as ExportFormat, [])).rejects.toBeInstanceOf(ExportFormatError);
  });

  it("streams from an async source into a slow sink without losing or reordering anything", async () => {
    async function* many() {
      for (let i = 0; i < 20_000; i++) yield { i, text: `row ${i}` };
    }
    const sink = new MemorySink({ slow: true });
    const result = await writeRecords(many(), "jsonl", sink);
    const lines = sink.text().trimEnd().split("\n");
    expect(result).toEqual({ records: 20_000, fields: ["i", "text"] });
    expect(lines).toHaveLength(20_000);
    expect(lines.map((line) => (JSON.parse(line) as { i: number }).i)).toEqual([...Array(20_000).keys()]);
    expect(sink.writableEnded).toBe(false);
  });
});
