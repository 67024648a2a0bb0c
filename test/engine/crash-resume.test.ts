import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, replayRun } from "../../src/app/index.ts";
import { readRecords } from "../../src/datasets/index.ts";
import { startDemoSite, type DemoSite } from "../../src/demo/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";

/**
 * The promise of DESIGN.md §3.1: a real `trawl` process crawling 2,200 pages (lists, books and
 * POSTs of the search form) is SIGKILLed at random moments, resumed each time, and ends with
 * exactly the records of an uninterrupted run.
 * The run is recorded, so kills also land while captures are written: its recording must replay
 * to the same records, nothing missing.
 */
const KILLS = 10;
const BIN = join(import.meta.dirname, "../../bin/trawl.js");

let dir: string;
let site: DemoSite;
let definition: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-crash-"));
  site = await startDemoSite({ port: 0, booksPerCategory: 500, faults: false });
  definition = join(dir, "catalogue.yaml");
  writeFileSync(definition, catalogueYaml(site.url));
});

afterAll(async () => {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

function catalogueYaml(siteUrl: string): string {
  const targets = ["fiction", "poetry", "history", "science"]
    .map((name) => `  - name: ${name}\n    start: ${siteUrl}/${name}/page/1`)
    .join("\n");
  // POSTs of the search form too: their identity (URL and body) is what a resume re-offers.
  const searches = ["glass", "paper", "endless"]
    .map((q) => `      - { url: ${siteUrl}/search, method: POST, form: { q: ${q} } }`)
    .join("\n");
  return `name: catalogue
targets:
${targets}
  - name: search
    start:
${searches}
pages:
  list:
    follow:
      - { css: "a.next", page: list }
      - { css: "article a.title", page: product }
  product:
    record:
      title: h1
      price: { css: ".price", type: number }
      sku: { css: "[data-sku]", attr: data-sku }
      url: { from: url }
politeness: { concurrency: 4, rate_per_host: 10000 }
steps:
  - validate: { required: [title, price] }
  - dedupe: { key: sku }
  - export: { dataset: catalogue, formats: [jsonl, csv] }
`;
}

interface Child {
  exited: Promise<number | null>;
  kill(): void;
  stderr(): string;
}

let sessions = 0;

/** Runs the CLI; every other session parses on a parse thread, so kills hit both ways of parsing. */
function trawl(home: string, args: string[]): Child {
  const parseThreads = String(sessions++ % 2);
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, TRAWL_HOME: home, TRAWL_PARSE_THREADS: parseThreads },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { exited, kill: () => child.kill("SIGKILL"), stderr: () => stderr };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, child: Child): Promise<void> {
  let exited = false;
  void child.exited.then(() => (exited = true));
  while (!condition() && !exited) await sleep(10);
}

async function datasetLines(home: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const record of readRecords(join(home, "datasets"), "catalogue"))
    lines.push(JSON.stringify(record));
  return lines.sort();
}

describe("crash safety", () => {
  it(`survives ${KILLS} SIGKILLs at random moments with exactly the records of an uninterrupted run`, async () => {
    const referenceHome = join(dir, "reference");
    const app = await App.open({ home: referenceHome });
    const reference = await app.engine.run(await loadScraper(definition));
    await app.close();
    expect(reference.status).toBe("succeeded");
    const expected = await datasetLines(referenceHome);
    expect(expected.length).toBeGreaterThan(1900);

    const home = join(dir, "crashed");
    let child = trawl(home, ["run", "--record", definition]);
    await until(() => /run (RUN-\d{8}-[0-9A-F]{6})/.test(child.stderr()), child);
    const runId = /run (RUN-\d{8}-[0-9A-F]{6})/.exec(child.stderr())![1]!;
    let kills = 0;
    for (;;) {
      // Some kills land during start-up and resume, most while requests are in flight.
      if (Math.random() < 0.8) await until(() => / (started|resumed)\n/.test(child.stderr()), child);
      await sleep(Math.random() * 400);
      child.kill();
      const code = await child.exited;
      if (code === null) kills++;
      else expect(code, child.stderr()).toBe(0);
      if (code === 0 || kills >= KILLS) break;
      child = trawl(home, ["resume", runId]);
    }
    expect(kills).toBe(KILLS);

    const last = trawl(home, ["resume", runId, "--json"]);
    expect(await last.exited, last.stderr()).toBe(0);

    const db = new Database(join(home, "trawl.db"), { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    const run = db.prepare("SELECT status FROM runs WHERE id = ?").get(runId) as { status: string };
    const crawled = db
      .prepare("SELECT COUNT(*) AS n FROM records WHERE run_id = ? AND stage = 0")
      .get(runId) as {
      n: number;
    };
    // Each search POSTed and done once, whatever the kills.
    const posts = db
      .prepare("SELECT body, state FROM requests WHERE run_id = ? AND body_type = 'form' ORDER BY body")
      .all(runId);
    db.close();
    expect(posts).toEqual(["q=endless", "q=glass", "q=paper"].map((body) => ({ body, state: "done" })));
    expect(run.status).toBe("succeeded");
    const referenceDb = new Database(join(referenceHome, "trawl.db"), { readonly: true });
    const referenceCrawled = referenceDb
      .prepare("SELECT COUNT(*) AS n FROM records WHERE stage = 0")
      .get() as {
      n: number;
    };
    referenceDb.close();
    expect(crawled.n).toBe(referenceCrawled.n);
    expect(await datasetLines(home)).toEqual(expected);
    expect(JSON.parse(readFileSync(join(home, "datasets", "catalogue", "current"), "utf8"))).toEqual({
      version: 1,
    });

    const recorded = await App.open({ home });
    try {
      const report = await replayRun(recorded, runId);
      expect(report).toMatchObject({ status: "succeeded", identical: true, missing: [] });
      expect(report.counts.replayed).toBe(expected.length);
    } finally {
      await recorded.close();
    }
  }, 240_000);
});
