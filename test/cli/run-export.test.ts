/**
 * `trawl run examples/bookshop.yaml --json` against the demo site, exactly as a user runs it, then
 * everything that reads the result back: show, logs, runs, export, datasets, datasets verify.
 * The run happens once (beforeAll); the tests read it concurrently, and the byte-flipping one last.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BOOKSHOP_FAULTS, bookAt, bookSku, type BookCategory, type DemoSite } from "../../src/demo/index.ts";
import { makeWorkDir, parseJson, runCli, startSite, writeExample, type CliResult } from "./run-cli.ts";

interface Book {
  title: string;
  price: number;
  sku: string;
  url: string;
}

interface Summary {
  id: string;
  status: string;
  scraper: string;
  records: number;
  pages: { done: number; failed: number; pending: number };
  targets: { name: string; status: string; records: number; errors: number }[];
  steps: { name: string; status: string; records: number | null }[];
  dataset: { name: string; version: number } | null;
}

let site: DemoSite;
let dir: string;
let home: string;
let run: CliResult;
let summary: Summary;

beforeAll(async () => {
  site = await startSite({});
  ({ dir, home } = await makeWorkDir());
  const file = await writeExample(dir, "bookshop", site);
  run = await runCli(["run", file, "--json"], { home, timeoutMs: 60_000 });
  summary = parseJson<Summary>(run);
}, 70_000);

/** The books the demo site serves to the example: fiction and poetry, 60 each, priced ones only. */
function expectedBooks(): Map<string, Omit<Book, "url">> {
  const books = new Map<string, Omit<Book, "url">>();
  for (const category of ["fiction", "poetry"] as BookCategory[]) {
    for (let index = 1; index <= 60; index++) {
      const book = bookAt({ seed: 1, booksPerCategory: 60, faults: true }, category, index);
      if (book.price !== null) books.set(book.sku, { title: book.title, price: book.price, sku: book.sku });
    }
  }
  return books;
}

/** Checks exported records against what the site serves: each priced book exactly once. */
function expectTheBooks(records: Book[]): void {
  const expected = expectedBooks();
  expect(records).toHaveLength(expected.size);
  expect(new Set(records.map((r) => r.sku)).size).toBe(expected.size);
  for (const record of records) {
    const { url, ...rest } = record;
    expect(rest).toEqual(expected.get(record.sku));
    // Dedupe keeps whichever copy of the cross-listed book was stored first.
    const urls = [`${site.url}/book/${record.sku}`];
    if (record.sku === BOOKSHOP_FAULTS.crossListed.sku)
      urls.push(site.url + BOOKSHOP_FAULTS.crossListed.href);
    expect(urls).toContain(url);
  }
}

/** A minimal RFC 4180 reader, independent of the csv library the exporter uses. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') cell += text[++i];
    else if (c === '"') quoted = !quoted;
    else if (quoted || (c !== "," && c !== "\n")) cell += c;
    else if (c === ",") endCell();
    else {
      endCell();
      rows.push(row);
      row = [];
    }
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

function csvToBooks(text: string): Book[] {
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual(["title", "price", "sku", "url"]);
  return rows.map(([title, price, sku, url]) => ({
    title: title!,
    price: Number(price),
    sku: sku!,
    url: url!,
  }));
}

function jsonlToBooks(text: string): Book[] {
  expect(text.endsWith("\n")).toBe(true);
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Book);
}

describe("trawl run examples/bookshop.yaml --json", () => {
  it("exits 0 and prints one JSON summary: succeeded, 118 records, per-target counts, dataset books v1", () => {
    expect(run.code, run.stderr).toBe(0);
    expect(summary).toMatchObject({
      status: "succeeded",
      scraper: "bookshop",
      records: 118,
      dataset: { name: "books", version: 1 },
      pages: { done: 133, failed: 0, pending: 0 },
    });
    expect(summary.id).toMatch(/^RUN-\d{8}-[0-9A-F]{6}$/);
    // Per target, the crawl's records: 60 fiction books, 60 poetry books + the cross-listed one.
    expect(summary.targets).toEqual([
      { name: "fiction", status: "done", pagesDone: 66, pagesKnown: 66, records: 60, errors: 0 },
      { name: "poetry", status: "done", pagesDone: 67, pagesKnown: 67, records: 61, errors: 0 },
    ]);
    expect(summary.steps.map((s) => [s.name, s.status, s.records])).toEqual([
      ["crawl", "done", 121],
      ["validate", "done", 119],
      ["dedupe", "done", 118],
      ["export", "done", 118],
    ]);
  });

  it("writes progress and warnings to stderr, not stdout", () => {
    expect(run.stderr).toContain(`run ${summary.id} started`);
    expect(run.stderr).toMatch(/missing required field "price"/);
    expect(run.stdout).not.toContain("pages,");
  });
});

describe.concurrent("reading the run back: show, logs, runs, export, datasets", () => {
  it("show --json prints the same summary as the run", async () => {
    const shown = await runCli(["show", summary.id, "--json"], { home });
    expect(shown.code, shown.stderr).toBe(0);
    expect(parseJson(shown)).toMatchObject({
      id: summary.id,
      status: "succeeded",
      records: 118,
      targets: summary.targets,
      dataset: { name: "books", version: 1 },
    });
  });

  it("show prints a readable report", async () => {
    const shown = await runCli(["show", summary.id], { home });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`run ${summary.id} succeeded`);
    expect(shown.stdout).toMatch(/118 records \(dataset books v1\)/);
    expect(shown.stdout).toMatch(/^poetry\s+done\s+61\s+0$/m);
  });

  it("logs prints the two dropped-record warnings, --json as { runId, logs }", async () => {
    const text = await runCli(["logs", summary.id], { home });
    expect(text.code, text.stderr).toBe(0);
    expect(
      text.stdout.match(/warn +validate: dropped a record: missing required field "price"/g),
    ).toHaveLength(2);
    const json = await runCli(["logs", summary.id, "--json", "--level", "warn"], { home });
    const body = parseJson<{ runId: string; logs: { level: string; message: string }[] }>(json);
    expect(body.runId).toBe(summary.id);
    expect(body.logs.map((l) => l.level)).toEqual(["warn", "warn"]);
  });

  it("runs --json lists the run with its dataset", async () => {
    const listed = await runCli(["runs", "--json"], { home });
    expect(listed.code, listed.stderr).toBe(0);
    expect(parseJson(listed)).toEqual({
      runs: [
        {
          id: summary.id,
          scraper: "bookshop",
          status: "succeeded",
          createdAt: expect.any(String),
          pauseReason: null,
          dataset: "books@1",
        },
      ],
    });
  });

  it("show of an unknown run exits 2 with a JSON error", async () => {
    const missing = await runCli(["show", "RUN-20260101-000000", "--json"], { home });
    expect(missing.code).toBe(2);
    expect(parseJson(missing)).toMatchObject({ error: { code: expect.stringMatching(/NOT_FOUND$/) } });
  });

  it("exports the run as jsonl, json and csv files holding the same 118 books", async () => {
    const contents: Record<string, string> = {};
    await Promise.all(
      ["jsonl", "json", "csv"].map(async (format) => {
        const out = join(dir, `run.${format}`);
        const result = await runCli(["export", summary.id, "--format", format, "--out", out], { home });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain(`wrote 118 records to ${out}`);
        contents[format] = await readFile(out, "utf8");
      }),
    );
    const fromJsonl = jsonlToBooks(contents.jsonl!);
    expectTheBooks(fromJsonl);
    expect(JSON.parse(contents.json!)).toEqual(fromJsonl);
    expect(csvToBooks(contents.csv!)).toEqual(fromJsonl);
  });

  it("exports the books dataset as csv to stdout: the run's records, the same rows", async () => {
    const [dataset, ofRun] = await Promise.all([
      runCli(["export", "books", "--format", "csv"], { home }),
      runCli(["export", summary.id, "--format", "csv"], { home }),
    ]);
    expect(dataset.code, dataset.stderr).toBe(0);
    expect(ofRun.code, ofRun.stderr).toBe(0);
    expectTheBooks(csvToBooks(dataset.stdout));
    expect(dataset.stdout).toBe(ofRun.stdout);
  });

  it("datasets --json lists books v1 from the run", async () => {
    const listed = await runCli(["datasets", "--json"], { home });
    expect(listed.code, listed.stderr).toBe(0);
    expect(parseJson(listed)).toEqual({
      datasets: [
        {
          name: "books",
          current: 1,
          versions: [
            {
              version: 1,
              records: 118,
              runId: summary.id,
              scraper: "bookshop",
              createdAt: expect.any(String),
            },
          ],
        },
      ],
    });
  });

  it("takes --version (the dataset's, not trawl's) and --home after the command", async () => {
    const elsewhere = join(dir, "unused-home");
    const result = await runCli(["export", "books", "--version", "1", "--home", home], { home: elsewhere });
    expect(result.code, result.stderr).toBe(0);
    expect(jsonlToBooks(result.stdout)).toHaveLength(118);
    const missing = await runCli(["export", "books", "--version", "2"], { home });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no version 2");
  });

  it("rejects an unknown format and an unknown dataset with exit 2", async () => {
    const format = await runCli(["export", summary.id, "--format", "xml"], { home });
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/xml/);
    expect(format.stdout).toBe("");
    const dataset = await runCli(["export", "no-such-dataset"], { home });
    expect(dataset.code).toBe(2);
    expect(dataset.stderr).toMatch(/no-such-dataset/);
  });
});

describe("trawl datasets verify (last: it damages the dataset)", () => {
  it("verify exits 0 on the published version and 1 once a byte of it changed", async () => {
    const ok = await runCli(["datasets", "verify", "books"], { home });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe("books v1: ok\n");

    const file = join(home, "datasets", "books", "v000001", "records.jsonl");
    const bytes = await readFile(file);
    const at = bytes.indexOf(bookSku("fiction", 1)) + 4;
    bytes[at] = bytes[at] === 0x30 ? 0x31 : 0x30; // same length, different content
    await writeFile(file, bytes);

    const bad = await runCli(["datasets", "verify", "books", "--json"], { home });
    expect(bad.code).toBe(1);
    const result = parseJson<{ name: string; version: number; ok: boolean; problems: string[] }>(bad);
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ name: "books", version: 1 });
    expect(result.problems.join("\n")).toMatch(/records\.jsonl: SHA-256/);
  });
});
