/**
 * Change reports compare like with like (issue 11, item 3): the final output of succeeded runs,
 * matched by the record key fixed when each run was created, by position without one. A failed,
 * stopped or cancelled run says so instead of diffing; a cross-scraper compare warns. Real SQLite,
 * real HTTP server, the bundled demo site and the example scrapers.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFileSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { readExample, startDemoSite, type DemoSite } from "../../src/demo/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { startServer, type TrawlServer } from "../../src/server/index.ts";
import { bearer, request, serve, until } from "./helpers.ts";

let dir: string;
let demo: DemoSite;
let app: App;
let server: TrawlServer;
const files: Record<string, string> = {};
const ran: Record<string, string> = {};
/** An address where nothing listens: every request of a run against it fails. */
let deadUrl: string;

const api = async (path: string) => (await request(server.url, "GET", path, undefined, bearer(server))).json;

/** Writes an example scraper pointed at `url`, with extra politeness (fast, or slow and serial). */
async function writeExample(name: string, example: string, url: string, politeness: string): Promise<string> {
  const text = (await readExample(example, url)).replace(/\npoliteness:[\s\S]*?\n\n/, "\n");
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `${text.trimEnd()}\npoliteness: ${politeness}\n`);
  return file;
}

async function run(file: string): Promise<string> {
  return (await app.engine.run(await loadScraper(file))).id;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-changes-"));
  demo = await startDemoSite({ port: 0, faults: false });
  const gone = await startDemoSite({ port: 0 });
  deadUrl = gone.url;
  await gone.close();
  app = await App.open({ home: join(dir, "home") });
  server = await startServer({ app, port: 0, uiDir: null, scheduler: false });
  const fast = "{ robots: ignore, rate_per_host: 1000, retries: 0 }";
  files.books = await writeExample("books", "bookshop", demo.url, fast);
  files.down = await writeExample("books-down", "bookshop", deadUrl, fast);
  files.slow = await writeExample(
    "books-slow",
    "bookshop",
    demo.url,
    "{ robots: ignore, rate_per_host: 4, concurrency: 1 }",
  );
  files.jobs = await writeExample("jobs", "jobs", demo.url, fast);
  ran.first = await run(files.books!);
  ran.failed = await run(files.down);
}, 120_000);

afterAll(async () => {
  await server.close();
  await app.close();
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("changes since the previous run", () => {
  it("a failed run shows a reason, not a diff against the previous run", async () => {
    expect((await app.store.runs.get(ran.failed!))?.status).toBe("failed");
    const changes = await api(`/api/runs/${ran.failed}/changes`);
    expect(changes).toEqual({
      run: ran.failed,
      comparable: false,
      reason: "this run failed: its records are not compared",
      previous: ran.first,
      comparison: null,
    });
  });

  it("a stopped and then cancelled run shows a reason, not its crawl records against the previous final output", async () => {
    const started = app.engine.run(await loadScraper(files.slow!));
    let id = "";
    await until(async () => {
      id = (await app.store.runs.list({ scraper: "bookshop", statuses: ["running"] }))[0]?.id ?? "";
      return id !== "" && (await app.store.records.count(id, 0)) >= 3;
    }, "records of the slow run");
    await app.engine.stop(id);
    await started;
    const stopped = await api(`/api/runs/${id}/changes`);
    expect(stopped).toMatchObject({
      comparable: false,
      reason: "this run is stopped: its records are not compared until it succeeds",
      comparison: null,
    });
    await app.engine.cancel(id);
    ran.cancelled = id;
    const cancelled = await api(`/api/runs/${id}/changes`);
    expect(cancelled).toEqual({
      run: id,
      comparable: false,
      reason: "this run was cancelled: its records are not compared",
      previous: ran.first,
      comparison: null,
    });
    // Asked for explicitly, the comparison is made, and says what it compares.
    const explicit = await api(`/api/compare?a=${ran.first}&b=${id}`);
    expect(explicit.warnings).toContain(
      `run B (${id}) was cancelled: its records are those of its crawl step, not its final output`,
    );
  }, 60_000);

  it("a succeeded run is compared with the previous succeeded run, by the scraper's key", async () => {
    const latest = await run(files.books!);
    const changes = await api(`/api/runs/${latest}/changes`);
    expect(changes).toMatchObject({ run: latest, comparable: true, reason: null, previous: ran.first });
    const books = (await app.store.runs.get(ran.first!))!;
    expect(books.recordKey).toEqual(["sku"]);
    expect(changes.comparison).toMatchObject({
      match: "key",
      key: ["sku"],
      warnings: [],
      records: { counts: { added: 0, removed: 0, changed: 0 }, unchanged: changes.comparison.b.records },
    });
    expect(changes.comparison.b.records).toBeGreaterThan(100);
  });

  it("comparing runs of two scrapers warns, and never merges records that lack the key", async () => {
    const jobs = await run(files.jobs!);
    const comparison = await api(`/api/compare?a=${ran.first}&b=${jobs}`);
    const [booksCount, jobsCount] = [comparison.a.records, comparison.b.records];
    expect(jobsCount).toBe(105);
    expect(comparison.key).toEqual(["id"]);
    expect(comparison.records.counts).toEqual({ added: jobsCount, removed: booksCount, changed: 0 });
    expect(comparison.warnings).toEqual([
      "A is a run of bookshop, B of jobs: runs of different scrapers rarely describe the same records",
      "the runs have different record keys (A: sku; B: id): records are matched by id",
      `${booksCount} of ${booksCount} records of A have no value for the key (id): they match nothing and count as removed`,
    ]);
  });
});

describe("record keys", () => {
  /** The helpers' fixture site: `/slow?n=N` is a page titled "Item N" with key N. */
  function writeTiny(file: string, ns: number[], extra: string[] = []): void {
    writeFileSync(
      file,
      [
        "name: tiny",
        "targets:",
        ...ns.map((n) => `  - { name: t${n}, start: "${siteUrl}/slow?n=${n}" }`),
        "pages:",
        "  page:",
        "    record: { title: h1, key: .k }",
        "politeness: { robots: ignore, rate_per_host: 1000 }",
        ...extra,
        "",
      ].join("\n"),
    );
  }
  let siteUrl = "";

  it("without a key, records are compared by position and the diff says so", async () => {
    const f = await serve();
    siteUrl = f.site.url;
    const file = join(f.dir, "tiny.yaml");
    writeTiny(file, [0, 1, 2]);
    const first = (await f.app.engine.run(await loadScraper(file))).id;
    f.retitle(1, "Item 1, revised");
    const second = (await f.app.engine.run(await loadScraper(file))).id;
    const changes = (await f.api("GET", `/api/runs/${second}/changes`)).json;
    expect(changes).toMatchObject({ comparable: true, previous: first });
    expect(changes.comparison).toMatchObject({ match: "position", key: null, warnings: [] });
    expect(changes.comparison.records).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          key: "#2",
          position: 1,
          record: { title: "Item 1, revised", key: "1" },
          fields: [{ field: "title", change: "changed", a: "Item 1", b: "Item 1, revised" }],
        },
      ],
      unchanged: 2,
      counts: { added: 0, removed: 0, changed: 1 },
    });
  });

  it("a declared key: is fixed with the run and used even after the definition is gone", async () => {
    const f = await serve();
    siteUrl = f.site.url;
    const file = join(f.dir, "keyed.yaml");
    writeTiny(file, [0, 1, 2], ["key: key"]);
    const first = (await f.app.engine.run(await loadScraper(file))).id;
    f.retitle(1, "Item 1, second edition");
    writeTiny(file, [3, 1, 0], ["key: key"]);
    const second = (await f.app.engine.run(await loadScraper(file))).id;
    expect(readFileSync(file, "utf8")).toContain("key: key");
    unlinkSync(file);
    expect((await f.app.store.runs.get(second))?.recordKey).toEqual(["key"]);
    const comparison = (await f.api("GET", `/api/compare?a=${first}&b=${second}`)).json;
    expect(comparison).toMatchObject({ match: "key", key: ["key"], warnings: [] });
    expect(comparison.records).toMatchObject({
      added: [{ title: "Item 3", key: "3" }],
      removed: [{ title: "Item 2", key: "2" }],
      changed: [
        {
          key: "1",
          fields: [{ field: "title", change: "changed", a: "Item 1", b: "Item 1, second edition" }],
        },
      ],
      unchanged: 1,
    });
  });
});
