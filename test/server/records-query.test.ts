import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { publishDataset } from "../../src/datasets/index.ts";
import { openSqliteStore } from "../../src/store/index.ts";
import { serve, until, type Fixture } from "./helpers.ts";

type Job = Record<string, unknown>;

const CITIES = ["Berlin", "Paris", "Lisbon"];

/** 105 jobs: every third in Berlin (35), two more mention BERLIN in their title: 37 match "berlin". */
function jobs(count = 105): Job[] {
  return Array.from({ length: count }, (_, i) => {
    const job: Job = {
      title: i === 1 || i === 4 ? `Remote from BERLIN ${i}` : `${i % 2 ? "data" : "Web"} engineer ${i}`,
      city: CITIES[i % 3],
      tags: i % 5 === 0 ? ["kraków", { level: "Senior" }] : [],
      remote: i % 4 === 0,
    };
    // Salaries with ties, numbers whose text order is not their order, and some without one.
    if (i % 10 !== 7) job.salary = i % 6 === 0 ? 9000 : 10000 + (i % 9) * 1000;
    if (i === 30) job.salary = 12.5;
    return job;
  });
}

/** A run whose final stage (1, after a `validate` step) holds `records`, as a finished run does. */
async function seed(f: Fixture, records: Job[]): Promise<string> {
  const store = f.app.store;
  const run = await store.runs.create(
    {
      scraper: "jobs",
      source: null,
      definitionHash: "x",
      targets: ["a"],
      steps: [
        { name: "crawl", kind: "crawl" },
        { name: "validate", kind: "validate" },
      ],
      breakpoints: [],
    },
    Date.now(),
  );
  for (let at = 0; at < records.length; at += 5000) {
    const batch = records.slice(at, at + 5000);
    await store.records.append(
      run.id,
      1,
      batch,
      at,
      batch.map((_, i) => `https://jobs.test/list?p=${(at + i) % 7}`),
    );
  }
  await store.steps.finish(run.id, 0, 0, {}, Date.now());
  await store.steps.finish(run.id, 1, records.length, {}, Date.now());
  return run.id;
}

/** Every page of a query, following `next`; the pages' records in order. */
async function walk(
  f: Fixture,
  path: string,
): Promise<{ records: Job[]; positions: (number | null)[]; pages: number }> {
  const records: Job[] = [];
  const positions: (number | null)[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await f.api("GET", `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.offset).toBe(records.length);
    records.push(...res.json.records);
    positions.push(...res.json.positions);
    cursor = res.json.next;
    pages++;
  } while (cursor);
  return { records, positions, pages };
}

/** The order the API promises: no value first, then numbers, then text ignoring case; ties in stored order. */
function sortedBy(records: Job[], field: string): Job[] {
  const rank = (v: unknown) =>
    v === undefined || v === null ? 0 : typeof v === "number" || typeof v === "boolean" ? 1 : 2;
  const key = (v: unknown) =>
    typeof v === "string" ? v.toLowerCase() : typeof v === "boolean" ? Number(v) : v;
  return records
    .map((record, i) => ({ record, i }))
    .sort((a, b) => {
      const [va, vb] = [a.record[field], b.record[field]];
      if (rank(va) !== rank(vb)) return rank(va) - rank(vb);
      const [ka, kb] = [key(va) as number | string, key(vb) as number | string];
      return ka < kb ? -1 : ka > kb ? 1 : a.i - b.i;
    })
    .map(({ record }) => record);
}

const q = (params: Record<string, string | number | string[]>) => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    for (const one of Array.isArray(value) ? value : [value]) search.append(name, String(one));
  return `?${search}`;
};

describe("GET /api/runs/:id/records: queries over all of a run's records", () => {
  it("searches every record, not the page: the total counts the matches and the pages hold each once", async () => {
    const f = await serve();
    const all = jobs();
    const id = await seed(f, all);
    const first = await f.api("GET", `/api/runs/${id}/records${q({ search: "berlin", limit: 20 })}`);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ stage: 1, total: 37, offset: 0 });
    expect(first.json.records).toHaveLength(20);
    const walked = await walk(f, `/api/runs/${id}/records${q({ search: "berlin", limit: 20 })}`);
    const expected = all.filter((job) => JSON.stringify(Object.values(job)).toLowerCase().includes("berlin"));
    expect(walked.records).toEqual(expected);
    expect(walked.pages).toBe(2);
    // Positions are where each record stands in the stage (what the replay's ?record= takes).
    expect(walked.positions).toEqual(expected.map((job) => all.indexOf(job)));
    expect(first.json.fields).toEqual(["title", "city", "tags", "remote", "salary"]);
  });

  it("searches values at any depth, ignoring case beyond ASCII, and never field names", async () => {
    const f = await serve();
    const all = jobs();
    const id = await seed(f, all);
    const total = async (search: string) =>
      (await f.api("GET", `/api/runs/${id}/records${q({ search })}`)).json.total as number;
    expect(await total("KRAKÓW")).toBe(21); // inside an array
    expect(await total("senior")).toBe(21); // inside an object inside an array
    expect(await total("city")).toBe(0); // a field name, not a value
    expect(await total("12.5")).toBe(1); // a number as written
    expect(await total("true")).toBe(27); // a boolean by name
    expect(await total("  engineer 10  ")).toBe(6); // trimmed: 10, 100–104
  });

  it("sorts all records across pages: numbers as numbers, text ignoring case, no value first, ties stable, desc the reverse", async () => {
    const f = await serve();
    const all = jobs();
    const id = await seed(f, all);
    for (const field of ["salary", "title", "remote"]) {
      const asc = await walk(f, `/api/runs/${id}/records${q({ sort: field, limit: 25 })}`);
      expect(asc.records, field).toEqual(sortedBy(all, field));
      const desc = await walk(f, `/api/runs/${id}/records${q({ sort: field, order: "desc", limit: 25 })}`);
      expect(desc.records, field).toEqual(sortedBy(all, field).reverse());
    }
    const salaries = (
      await walk(f, `/api/runs/${id}/records${q({ sort: "salary", limit: 40 })}`)
    ).records.map((job) => job.salary);
    expect(salaries.slice(0, 10)).toEqual(Array(10).fill(undefined));
    expect(salaries.slice(10, 13)).toEqual([12.5, 9000, 9000]);
  });

  it("filters by field, combined with search and sort", async () => {
    const f = await serve();
    const all = jobs();
    const id = await seed(f, all);
    const records = async (params: Record<string, string | number | string[]>) =>
      (await walk(f, `/api/runs/${id}/records${q({ limit: 1000, ...params })}`)).records;
    expect(await records({ filter: "city:eq:Paris" })).toEqual(all.filter((job) => job.city === "Paris"));
    expect(await records({ filter: "city:eq:paris" })).toEqual([]); // eq is exact
    expect(await records({ filter: "salary:eq:12.50" })).toEqual([all[30]]); // numbers by value
    expect(await records({ filter: "remote:eq:true" })).toEqual(all.filter((job) => job.remote));
    expect(await records({ filter: "city:ne:Paris" })).toEqual(all.filter((job) => job.city !== "Paris"));
    expect(await records({ filter: "title:contains:WEB ENG" })).toEqual(
      all.filter((job) => String(job.title).startsWith("Web engineer")),
    );
    expect(await records({ filter: "salary:empty" })).toEqual(all.filter((job) => job.salary === undefined));
    expect(await records({ filter: "tags:empty" })).toEqual(
      all.filter((job) => (job.tags as []).length === 0),
    );
    expect(await records({ filter: "tags:notempty" })).toEqual(
      all.filter((job) => (job.tags as []).length > 0),
    );
    const combined = await records({
      filter: ["city:eq:Berlin", "salary:notempty"],
      search: "data",
      sort: "salary",
      order: "desc",
    });
    expect(combined).toEqual(
      sortedBy(
        all.filter(
          (job) => job.city === "Berlin" && job.salary !== undefined && String(job.title).includes("data"),
        ),
        "salary",
      ).reverse(),
    );
    expect(combined.length).toBeGreaterThan(3);
  });

  it("pages a large stage through its sort index, nulls and ties included, and finds filtered pages in it", async () => {
    const f = await serve();
    // More than SORT_INDEX_MIN_RECORDS (20,000): sorted pages read through a partial index.
    const all = Array.from({ length: 20_500 }, (_, i) => ({
      n: i % 13 === 0 ? null : (i * 7919) % 1000,
      name: `Item ${(i * 31) % 2000}`,
    }));
    const id = await seed(f, all);
    const asc = await walk(f, `/api/runs/${id}/records${q({ sort: "n", limit: 1000 })}`);
    expect(asc.records).toEqual(sortedBy(all, "n"));
    const desc = await walk(f, `/api/runs/${id}/records${q({ sort: "n", order: "desc", limit: 1000 })}`);
    expect(desc.records).toEqual(sortedBy(all, "n").reverse());
    const deep = await f.api(
      "GET",
      `/api/runs/${id}/records${q({ sort: "name", offset: 20_000, limit: 600 })}`,
    );
    expect(deep.json.records).toEqual(sortedBy(all, "name").slice(20_000));
    expect(deep.json.next).toBeNull();
    const db = new Database(f.app.paths.database, { readonly: true });
    try {
      const names = db.prepare(`SELECT name FROM sqlite_schema WHERE name LIKE 'records_sort_%'`).all();
      expect(names).toHaveLength(2); // one per sorted field
    } finally {
      db.close();
    }
    // Many matches: read through the index; few: a scan and sort. The same order either way.
    const many = await walk(
      f,
      `/api/runs/${id}/records${q({ sort: "n", filter: "name:contains:item 1", limit: 500 })}`,
    );
    expect(many.records).toEqual(
      sortedBy(
        all.filter((r) => r.name.startsWith("Item 1")),
        "n",
      ),
    );
    const few = await walk(
      f,
      `/api/runs/${id}/records${q({ sort: "n", order: "desc", filter: "name:eq:Item 7", limit: 4 })}`,
    );
    expect(few.records).toEqual(
      sortedBy(
        all.filter((r) => r.name === "Item 7"),
        "n",
      ).reverse(),
    );
    expect(few.records.length).toBeGreaterThan(4);
  });

  it("keeps counting right while records are added, by this process or another", async () => {
    const f = await serve();
    const id = await seed(f, jobs());
    const total = async () =>
      (await f.api("GET", `/api/runs/${id}/records${q({ search: "berlin" })}`)).json.total;
    expect(await total()).toBe(37);
    await f.app.store.records.append(id, 1, [{ title: "Berlin", city: "Berlin" }], 105);
    expect(await total()).toBe(38);
    const other = openSqliteStore(join(f.app.paths.home, "trawl.db"));
    try {
      await other.records.append(id, 1, [{ title: "Berlin again" }], 106);
    } finally {
      await other.close();
    }
    await until(async () => (await total()) === 39, "the other connection's record to be counted");
  });

  it("reads crawl records in stored order with positions, sorted ones with their source pages", async () => {
    const f = await serve();
    const id = (await f.api("POST", "/api/runs", { file: f.scraperFile })).json.id as string;
    await until(async () => (await f.api("GET", `/api/runs/${id}`)).json.status === "succeeded", "the run");
    const plain = await f.api("GET", `/api/runs/${id}/records`);
    expect(plain.json).toMatchObject({ stage: 0, total: 3, positions: [0, 1, 2] });
    const sorted = await f.api("GET", `/api/runs/${id}/records?sort=title&order=desc`);
    expect(sorted.json.records.map((r: Job) => r.title)).toEqual(["Item 2", "Item 1", "Item 0"]);
    expect(sorted.json.positions).toEqual([null, null, null]);
    expect(sorted.json.sources).toEqual([2, 1, 0].map((n) => `${f.site.url}/slow?n=${n}`));
    const old = await f.api("GET", `/api/runs/${id}/records?limit=2&offset=1`);
    expect(old.json).toMatchObject({ stage: 0, offset: 1, total: 3, positions: [1, 2] });
  });

  it("refuses a bad sort, filter or cursor with a 400 that says what is wrong", async () => {
    const f = await serve();
    const id = await seed(f, jobs());
    const error = async (query: string) => {
      const res = await f.api("GET", `/api/runs/${id}/records${query}`);
      expect(res.status, query).toBe(400);
      return res.json as { code: string; message: string };
    };
    expect(await error("?sort=salry")).toMatchObject({
      code: "TRAWL_ERR_RECORDS_BAD_SORT",
      message: expect.stringContaining('no record of stage 1 has a field "salry"'),
    });
    expect(await error(`?sort=${encodeURIComponent('a"b')}`)).toMatchObject({
      code: "TRAWL_ERR_RECORDS_BAD_SORT",
    });
    expect(await error("?filter=city:like:x")).toMatchObject({
      code: "TRAWL_ERR_RECORDS_BAD_FILTER",
      message: expect.stringContaining('unknown filter operator "like"'),
    });
    expect(await error("?filter=city:eq")).toMatchObject({
      code: "TRAWL_ERR_RECORDS_BAD_FILTER",
      message: expect.stringContaining("needs a value"),
    });
    expect(await error("?filter=city")).toMatchObject({ code: "TRAWL_ERR_RECORDS_BAD_FILTER" });
    expect(await error("?filter=cty:empty")).toMatchObject({ code: "TRAWL_ERR_RECORDS_BAD_FILTER" });
    expect(await error("?cursor=nonsense")).toMatchObject({ code: "TRAWL_ERR_RECORDS_BAD_CURSOR" });
    const next = (await f.api("GET", `/api/runs/${id}/records?sort=salary&limit=10`)).json.next as string;
    expect(await error(`?sort=title&limit=10&cursor=${next}`)).toMatchObject({
      code: "TRAWL_ERR_RECORDS_BAD_CURSOR",
      message: expect.stringContaining("another query"),
    });
    expect(await error("?order=up")).toMatchObject({ code: "TRAWL_ERR_HTTP_VALIDATION" });
    expect(await error("?limit=5000")).toMatchObject({ code: "TRAWL_ERR_HTTP_VALIDATION" });
  });
});

describe("GET /api/runs/:id/records.{jsonl,csv,json}: downloads", () => {
  it("streams every record of the query in each format, with a file name", async () => {
    const f = await serve();
    const all = jobs();
    all[50]!.extra = "only here"; // a field the first records lack still gets its CSV column
    const id = await seed(f, all);
    const expected = sortedBy(
      all.filter((job) => job.city !== "Lisbon"),
      "salary",
    ).reverse();
    const query = q({ filter: "city:ne:Lisbon", sort: "salary", order: "desc" });

    const jsonl = await f.api("GET", `/api/runs/${id}/records.jsonl${query}`);
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
    expect(jsonl.headers["content-disposition"]).toBe(`attachment; filename="${id}-records.jsonl"`);
    const lines = (jsonl.json as string).trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual(expected);

    const json = await f.api("GET", `/api/runs/${id}/records.json${query}`);
    expect(json.headers["content-disposition"]).toBe(`attachment; filename="${id}-records.json"`);
    expect(json.json).toEqual(expected);

    const csv = await f.api("GET", `/api/runs/${id}/records.csv`);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const rows = (csv.json as string).trimEnd().split("\n");
    expect(rows[0]).toBe("title,city,tags,remote,salary,extra");
    expect(rows).toHaveLength(106);
    expect(rows[51]).toBe(
      'Web engineer 50,Lisbon,"[""kraków"",{""level"":""Senior""}]",false,15000,only here',
    );
  });

  it("refuses a bad query before sending anything", async () => {
    const f = await serve();
    const id = await seed(f, jobs());
    const res = await f.api("GET", `/api/runs/${id}/records.csv?filter=nope:eq:1`);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("TRAWL_ERR_RECORDS_BAD_FILTER");
    expect((await f.api("GET", "/api/runs/RUN-20200101-000000/records.json")).status).toBe(404);
  });
});

describe("GET /api/datasets/:name/versions/:version/records: a version's records, queried alike", () => {
  it("reads them through the run that published them", async () => {
    const f = await serve();
    const file = join(f.dir, "exported.yaml");
    writeFileSync(
      file,
      [
        "name: exported",
        ...["targets:", ...[0, 1, 2].map((n) => `  - { name: t${n}, start: "${f.site.url}/slow?n=${n}" }`)],
        "pages:",
        "  page:",
        "    record: { title: h1, key: .k }",
        "politeness: { robots: ignore, rate_per_host: 1000 }",
        "steps:",
        "  - export: { dataset: exported }",
        "",
      ].join("\n"),
    );
    const id = (await f.api("POST", "/api/runs", { file })).json.id as string;
    await until(async () => (await f.api("GET", `/api/runs/${id}`)).json.status === "succeeded", "the run");
    const page = await f.api(
      "GET",
      "/api/datasets/exported/versions/1/records?sort=title&order=desc&limit=2",
    );
    expect(page.status, JSON.stringify(page.json)).toBe(200);
    expect(page.json).toMatchObject({
      name: "exported",
      version: 1,
      runId: id,
      from: "run",
      total: 3,
      offset: 0,
    });
    expect(page.json.fields).toEqual(["title", "key"]);
    expect(page.json.records.map((r: Job) => r.title)).toEqual(["Item 2", "Item 1"]);
    const rest = await f.api(
      "GET",
      `/api/datasets/exported/versions/1/records?sort=title&order=desc&limit=2&cursor=${page.json.next}`,
    );
    expect(rest.json.records.map((r: Job) => r.title)).toEqual(["Item 0"]);
    expect(rest.json.next).toBeNull();
  });

  it("reads a version whose run is gone from its own file", async () => {
    const f = await serve();
    const all = jobs();
    await publishDataset({
      root: f.app.paths.datasets,
      name: "orphan",
      runId: "RUN-20200101-000000",
      scraper: "jobs",
      records: all,
    });
    const path = "/api/datasets/orphan/versions/1/records";
    const first = await f.api("GET", `${path}${q({ search: "berlin", sort: "salary", limit: 10 })}`);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json).toMatchObject({ from: "file", runId: "RUN-20200101-000000", total: 37 });
    const walked = await walk(f, `${path}${q({ search: "berlin", sort: "salary", limit: 10 })}`);
    expect(walked.records).toEqual(
      sortedBy(
        all.filter((job) => JSON.stringify(Object.values(job)).toLowerCase().includes("berlin")),
        "salary",
      ),
    );
    const filtered = await f.api("GET", `${path}${q({ filter: "city:eq:Paris", limit: 1000 })}`);
    expect(filtered.json.records).toEqual(all.filter((job) => job.city === "Paris"));
    expect((await f.api("GET", "/api/datasets/orphan/versions/2/records")).status).toBe(404);
  });
});
