import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, replayRun } from "../../src/app/index.ts";
import { readRecords } from "../../src/datasets/index.ts";
import { startDemoSite, type DemoSite } from "../../src/demo/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

/**
 * The promise of DESIGN.md §3.1: a real `trawl` process crawling 2,200 pages (lists, books and
 * POSTs of the search form) is SIGKILLed at random moments, resumed each time, and ends with
 * exactly the records of an uninterrupted run.
 * The run is recorded, so kills also land while captures are written: its recording must replay
 * to the same records, nothing missing. A second, smaller crawl of POST follow links and a JSON
 * API is killed once mid-run (see below).
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

/**
 * A POST and JSON crawl on the fault site: a home page links 8 categories, each POSTed a search
 * form (HTML result pages, 6 per category, the next page POSTed the same form) and POSTed as
 * JSON to an API (6 pages, `next` POSTed the same document). The site answers 400 to a POST
 * without the expected body, so a body lost on the way through the queue loses records.
 */
const CATEGORIES = 8;
const PAGES = 6;
const ITEMS = 5;

/** The id of the i-th item of page p of category cat, `h` (search form) or `j` (JSON API). */
const itemId = (kind: "h" | "j", cat: number, p: number, i: number) => `${kind}-${cat}-${p}-${i}`;

function answer(res: ServerResponse, status: number, type: string, body: string): void {
  // A little latency, so that the crawl is still running when it is killed.
  setTimeout(() => {
    res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
    res.end(body);
  }, 15);
}

/** POST /pj/search?cat=&p= (form q=lamp) and POST /pj/api?cat=&p= (JSON {"q":"lamp"}). */
async function postRoute(req: IncomingMessage, res: ServerResponse, kind: "h" | "j"): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  const query = new URL(req.url ?? "/", "http://x").searchParams;
  const [cat, p] = [Number(query.get("cat")), Number(query.get("p") ?? 1)];
  const expected = kind === "h" ? "q=lamp" : '{"q":"lamp"}';
  if (req.method !== "POST" || body !== expected) return answer(res, 400, "text/plain", "bad request\n");
  const ids = Array.from({ length: ITEMS }, (_, i) => itemId(kind, cat, p, i));
  const next = p < PAGES ? `/pj/${kind === "h" ? "search" : "api"}?cat=${cat}&p=${p + 1}` : null;
  if (kind === "j")
    return answer(
      res,
      200,
      "application/json",
      JSON.stringify({ items: ids.map((id) => ({ id, q: "lamp" })), next }),
    );
  const items = ids.map((id) => `<li class="item"><b>${id}</b><i>lamp</i></li>`).join("");
  const more = next ? `<a class="next" href="${next}">next</a>` : "";
  answer(res, 200, "text/html", `<html><body><ul>${items}</ul>${more}</body></html>`);
}

const POST_JSON_ROUTES = {
  "/pj/home": (_req: IncomingMessage, res: ServerResponse) => {
    const links = Array.from(
      { length: CATEGORIES },
      (_, cat) =>
        `<a class="cat" href="/pj/search?cat=${cat}">${cat}</a><a class="api" href="/pj/api?cat=${cat}">api</a>`,
    );
    answer(res, 200, "text/html", `<html><body>${links.join("")}</body></html>`);
  },
  "/pj/search": (req: IncomingMessage, res: ServerResponse) => void postRoute(req, res, "h"),
  "/pj/api": (req: IncomingMessage, res: ServerResponse) => void postRoute(req, res, "j"),
};

const POST_JSON_YAML = (siteUrl: string) => `name: post-json
start: ${siteUrl}/pj/home
pages:
  home:
    follow:
      - { css: a.cat, page: results, method: POST, form: { q: lamp } }
      - { css: a.api, page: api, method: POST, body_json: { q: lamp } }
  results:
    records:
      each: li.item
      fields: { id: b, q: i }
    follow:
      - { css: a.next, page: results, method: POST, form: { q: lamp } }
  api:
    format: json
    records:
      each: { json: "$.items[*]" }
      fields: { id: { json: "$.id" }, q: { json: "$.q" } }
    follow:
      - { json: "$.next", page: api, method: POST, body_json: { q: lamp } }
politeness: { concurrency: 2, rate_per_host: 10000, robots: ignore }
`;

describe("crash safety of POST and JSON crawls", () => {
  let faultSite: FaultSite;
  beforeAll(async () => {
    faultSite = await startFaultSite({ routes: POST_JSON_ROUTES });
  });
  afterAll(() => faultSite.close());

  it("a SIGKILL mid-run resumes to exactly the records, each POST once with its body, and replays", async () => {
    const file = join(dir, "post-json.yaml");
    writeFileSync(file, POST_JSON_YAML(faultSite.url));
    const home = join(dir, "post-json");
    const child = trawl(home, ["run", "--record", file]);
    await until(() => / started\n/.test(child.stderr()), child);
    const runId = /run (RUN-\d{8}-[0-9A-F]{6})/.exec(child.stderr())![1]!;
    const db = new Database(join(home, "trawl.db"), { readonly: true });
    const done = db.prepare("SELECT COUNT(*) FROM requests WHERE run_id = ? AND state = 'done'").pluck();
    const total = 1 + 2 * CATEGORIES * PAGES;
    // Killed with a third of the requests done: some POSTs done, others queued or in flight.
    await until(() => (done.get(runId) as number) >= total / 3, child);
    child.kill();
    expect(await child.exited, child.stderr()).toBeNull();
    expect(done.get(runId) as number).toBeLessThan(total);
    db.close();

    const resumed = trawl(home, ["resume", runId]);
    expect(await resumed.exited, resumed.stderr()).toBe(0);

    const after = new Database(join(home, "trawl.db"), { readonly: true });
    const records = after
      .prepare("SELECT data FROM records WHERE run_id = ? AND stage = 0")
      .pluck()
      .all(runId) as string[];
    const requests = after
      .prepare(
        "SELECT body_type AS type, body, state, COUNT(*) AS n FROM requests WHERE run_id = ? GROUP BY 1, 2, 3",
      )
      .all(runId);
    after.close();
    const expected: string[] = [];
    for (const kind of ["h", "j"] as const)
      for (let cat = 0; cat < CATEGORIES; cat++)
        for (let p = 1; p <= PAGES; p++)
          for (let i = 0; i < ITEMS; i++)
            expected.push(JSON.stringify({ id: itemId(kind, cat, p, i), q: "lamp" }));
    expect(records.sort()).toEqual(expected.sort()); // none lost, none twice
    expect(requests).toEqual([
      { type: "", body: "", state: "done", n: 1 },
      { type: "form", body: "q=lamp", state: "done", n: CATEGORIES * PAGES },
      { type: "json", body: '{"q":"lamp"}', state: "done", n: CATEGORIES * PAGES },
    ]);

    const recorded = await App.open({ home });
    try {
      const report = await replayRun(recorded, runId);
      expect(report).toMatchObject({ status: "succeeded", identical: true, missing: [] });
      expect(report.counts.replayed).toBe(expected.length);
    } finally {
      await recorded.close();
    }
  }, 60_000);
});
