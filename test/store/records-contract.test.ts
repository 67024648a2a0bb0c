/**
 * The record store's contract (issue 17), on SQLite and PostgreSQL: stages written and read in
 * their order, page by page, with sources and positions; aliases and copies of stages; queries
 * (search, filters, sorts on JSON fields) paged by offset and cursor, in exactly the order and
 * with exactly the matches SQLite gives; sort indexes of large stages.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { expect, it } from "vitest";
import type { RecordQuery, RecordSelection } from "../../src/store/record-query.ts";
import { crawlRecordOrder } from "../../src/store/sqlite-queue.ts";
import { MAX_SORT_INDEXES, SortIndexes } from "../../src/store/sqlite-sort-indexes.ts";
import { requestBodyDigest, type NewRequest, type Store } from "../../src/store/index.ts";
import { describeStores, locationOf } from "./backends.ts";

type Job = Record<string, unknown>;

const STEPS = ["crawl", "validate", "dedupe", "export"].map((name) => ({ name, kind: name }));

async function newRun(store: Store): Promise<string> {
  const run = {
    scraper: "jobs",
    source: null,
    definitionHash: "h",
    targets: ["a"],
    steps: STEPS,
    breakpoints: [],
  };
  return (await store.runs.create(run, 1000)).id;
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

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

/** A stage (1, a step's) holding `records`, each from one of seven list pages. */
async function seed(store: Store, records: Job[]): Promise<string> {
  const id = await newRun(store);
  for (let at = 0; at < records.length; at += 5000) {
    const batch = records.slice(at, at + 5000);
    const sources = batch.map((_, i) => `https://jobs.test/list?p=${(at + i) % 7}`);
    await store.records.append(id, 1, batch, at, sources);
  }
  return id;
}

/**
 * The order SQLite gives: no value first, then numbers (booleans as 1/0), then text with ASCII
 * letters folded, compared bytewise (objects and arrays by their JSON text); ties in stored order.
 */
function sortedBy(records: Job[], field: string): Job[] {
  const rank = (v: unknown) =>
    v === undefined || v === null ? 0 : typeof v === "number" || typeof v === "boolean" ? 1 : 2;
  const text = (v: unknown) =>
    Buffer.from((typeof v === "string" ? v : JSON.stringify(v)).replace(/[A-Z]/g, (c) => c.toLowerCase()));
  return records
    .map((record, i) => ({ record, i }))
    .sort((a, b) => {
      const [va, vb] = [a.record[field], b.record[field]];
      if (rank(va) !== rank(vb)) return rank(va) - rank(vb);
      const order =
        rank(va) === 1 ? Number(va) - Number(vb) : rank(va) === 2 ? Buffer.compare(text(va), text(vb)) : 0;
      return order || a.i - b.i;
    })
    .map(({ record }) => record);
}

/** Every page of a query, following `next`: the records, positions and sources in order. */
async function walk(store: Store, id: string, stage: number, query: Omit<RecordQuery, "cursor">) {
  const records: unknown[] = [];
  const positions: (number | null)[] = [];
  const sources: (string | null)[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.records.query(id, stage, { ...query, ...(cursor && { cursor }) });
    expect(page.offset).toBe((query.offset ?? 0) + records.length);
    for (const record of page.records) {
      records.push(record.data);
      positions.push(record.position);
      sources.push(record.source);
    }
    cursor = page.next ?? undefined;
    pages++;
  } while (cursor);
  return { records, positions, sources, pages };
}

async function queried(store: Store, id: string, selection: RecordSelection, batchSize = 7) {
  return (await collect(store.records.queryPages(id, 1, selection, batchSize))).flat().map((r) => r.data);
}

describeStores("the record store", (open, backend) => {
  it("appends a step's stage in order, reads it a page at a time with sources, and clears it for a re-run", async () => {
    const store = await open();
    const id = await newRun(store);
    const post = `https://x.test/search\u0000${requestBodyDigest({ type: "form", text: "q=a" })}`;
    await store.records.append(id, 1, [{ a: 1 }, { a: 2 }], 0, ["https://x.test/1", null]);
    await store.records.append(id, 1, [{ a: 3 }], 2, [post]);
    await store.records.append(id, 1, [], 3);
    expect(await collect(store.records.readPages(id, 1, 2))).toEqual([[{ a: 1 }, { a: 2 }], [{ a: 3 }]]);
    const sourced = (await collect(store.records.readSourcedPages(id, 1, 2))).flat();
    expect(sourced.map((r) => r.source)).toEqual(["https://x.test/1", null, post]);
    const all = [];
    for await (const record of store.records.read(id, 1, 2)) all.push(record);
    expect(all).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(await store.records.count(id, 1)).toBe(3);
    expect(await store.records.at(id, 1, 2)).toEqual({ data: { a: 3 }, source: post });
    expect(await store.records.at(id, 1, 3)).toBeUndefined();
    const page = await store.records.query(id, 1, { limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 3, offset: 1, next: null });
    expect(page.records).toEqual([
      { data: { a: 2 }, source: null, position: 1 },
      { data: { a: 3 }, source: "https://x.test/search", position: 2 },
    ]);
    await expect(store.records.append(id, 1, [{ a: 9 }], 2)).rejects.toThrow();
    expect(await store.records.count(id, 1)).toBe(3); // the batch failed whole
    await store.records.clear(id, 1);
    expect(await store.records.count(id, 1)).toBe(0);
    expect(await collect(store.records.readPages(id, 1))).toEqual([[]]);
    expect(await store.records.count(id, 7)).toBe(0);
  });

  it("reads the crawl stage by URL then position, with each record's page; copies and aliases stages", async () => {
    const store = await open();
    const id = await newRun(store);
    const body = { type: "form" as const, text: "q=shoes" };
    const page = { pageType: "list", target: "a", depth: 0 };
    const requests: NewRequest[] = [
      { url: "https://x.test/b", ...page },
      { url: "https://x.test/b", body, ...page },
      { url: "https://x.test/a", ...page },
    ];
    await store.queue.enqueue(id, requests, 1);
    const leased = await store.queue.lease(id, "w", 10, 2);
    for (const request of [...leased].reverse()) {
      const records = [0, 1].map((n) => ({
        target: "a",
        data: { url: request.url, post: !!request.body, n },
      }));
      await store.queue.complete(id, request.id, { ok: true, httpStatus: 200 }, records, [], 3);
    }
    // The order of the stored keys, bytewise: a page's records together, in their order on it.
    const keyOf = (r: { url: string; post: boolean; n: number }) =>
      crawlRecordOrder(r.url, r.n, r.post ? body : undefined);
    const expected = requests
      .flatMap((r) => [0, 1].map((n) => ({ url: r.url, post: !!r.body, n })))
      .sort((a, b) => Buffer.compare(Buffer.from(keyOf(a)), Buffer.from(keyOf(b))));
    const sourced = (await collect(store.records.readSourcedPages(id, 0, 4))).flat();
    expect(sourced.map((r) => r.data)).toEqual(expected);
    const sourceOf = (r: { url: string; post: boolean }) =>
      r.post ? `${r.url}\u0000${requestBodyDigest(body)}` : r.url;
    expect(sourced.map((r) => r.source)).toEqual(expected.map(sourceOf));
    expect(await store.records.at(id, 0, 5)).toEqual({ data: expected[5], source: sourceOf(expected[5]!) });
    const plain = await walk(store, id, 0, { limit: 4 });
    expect(plain.positions).toEqual([0, 1, 2, 3, 4, 5]);
    expect(plain.sources).toEqual(expected.map((r) => r.url));
    const sorted = await walk(store, id, 0, { limit: 4, sort: { field: "n", order: "desc" } });
    expect(sorted.records).toEqual(sortedBy(expected, "n").reverse());
    expect(sorted.positions).toEqual(Array(6).fill(null));
    expect(sorted.sources).toEqual(
      sortedBy(expected, "n")
        .reverse()
        .map((r) => r.url as string),
    );

    // A step that passed its first records through, then one that passed its input on unchanged.
    await store.records.copyLeading(id, 0, 1, 4);
    await store.records.append(id, 1, [{ extra: true }], 4);
    await store.records.alias(id, 2, 1);
    await store.records.alias(id, 3, 2); // an alias of an alias reads the stored stage
    for (const stage of [1, 2, 3]) {
      const rows = (await collect(store.records.readSourcedPages(id, stage))).flat();
      expect(rows).toEqual([
        ...expected.slice(0, 4).map((data) => ({ data, source: sourceOf(data) })),
        { data: { extra: true }, source: null },
      ]);
      expect(await store.records.count(id, stage)).toBe(5);
      const filtered = await store.records.query(id, stage, {
        limit: 10,
        filters: [{ field: "post", op: "eq", value: "true" }],
      });
      expect(filtered.records.map((r) => r.position)).toEqual(
        expected.flatMap((r, i) => (i < 4 && r.post ? [i] : [])),
      );
    }
    await store.records.copyLeading(id, 3, 4, 0);
    expect(await store.records.count(id, 4)).toBe(0);
    await store.records.clear(id, 3);
    expect(await store.records.count(id, 3)).toBe(0);
    expect(await store.records.count(id, 2)).toBe(5);
    await store.records.append(id, 2, [{ again: 1 }], 0); // a re-run step: stored again, not aliased
    await store.records.alias(id, 2, 0);
    expect(await store.records.count(id, 2)).toBe(6);
    await store.records.clear(id, 2);
    await store.records.append(id, 2, [{ again: 1 }], 0);
    expect((await collect(store.records.readPages(id, 2))).flat()).toEqual([{ again: 1 }]);
    expect(await store.records.count(id, 0)).toBe(6);
  });

  it("searches every record's values at any depth, ignoring case beyond ASCII, never field names", async () => {
    const store = await open();
    const all = jobs();
    const id = await seed(store, all);
    const total = async (search: string) => (await store.records.query(id, 1, { search, limit: 1 })).total;
    expect(await total("KRAKÓW")).toBe(21); // inside an array
    expect(await total("senior")).toBe(21); // inside an object inside an array
    expect(await total("city")).toBe(0); // a field name, not a value
    expect(await total("12.5")).toBe(1); // a number as written
    expect(await total("true")).toBe(27); // a boolean by name
    expect(await total("  engineer 10  ")).toBe(6); // trimmed: 10, 100–104
    expect(await total("   ")).toBe(105);
    const walked = await walk(store, id, 1, { search: "berlin", limit: 20 });
    const expected = all.filter((job) => JSON.stringify(Object.values(job)).toLowerCase().includes("berlin"));
    expect(walked.records).toEqual(expected);
    expect(walked.pages).toBe(2);
    expect(walked.positions).toEqual(expected.map((job) => all.indexOf(job)));
    expect(walked.sources).toEqual(expected.map((job) => `https://jobs.test/list?p=${all.indexOf(job) % 7}`));
  });

  it("sorts all records across pages and offsets: numbers as numbers, text ignoring ASCII case, no value first", async () => {
    const store = await open();
    const all = jobs();
    const id = await seed(store, all);
    for (const field of ["salary", "title", "remote", "tags"]) {
      const asc = await walk(store, id, 1, { sort: { field, order: "asc" }, limit: 25 });
      expect(asc.records, field).toEqual(sortedBy(all, field));
      const desc = await walk(store, id, 1, { sort: { field, order: "desc" }, limit: 25 });
      expect(desc.records, field).toEqual(sortedBy(all, field).reverse());
      expect(await queried(store, id, { sort: { field, order: "desc" } }), field).toEqual(desc.records);
    }
    const salaries = sortedBy(all, "salary");
    expect(salaries.slice(0, 13).map((job) => job.salary)).toEqual([
      ...Array(10).fill(undefined),
      12.5,
      9000,
      9000,
    ]);
    // Offsets inside the records without a value, past them, and past the end.
    for (const [order, offset] of [
      ["asc", 4],
      ["asc", 12],
      ["desc", 90],
      ["desc", 100],
      ["asc", 200],
    ] as const) {
      const page = await store.records.query(id, 1, { sort: { field: "salary", order }, offset, limit: 10 });
      const expected = order === "asc" ? salaries : [...salaries].reverse();
      expect(
        page.records.map((r) => r.data),
        `${order} ${offset}`,
      ).toEqual(expected.slice(offset, offset + 10));
      expect(page.offset).toBe(offset);
      if (!page.next) continue;
      const after = await store.records.query(id, 1, {
        sort: { field: "salary", order },
        cursor: page.next,
        limit: 10,
      });
      expect(
        after.records.map((r) => r.data),
        `${order} ${offset} next`,
      ).toEqual(expected.slice(offset + 10, offset + 20));
    }
  });

  it("orders mixed values of one field exactly as SQLite does", async () => {
    const store = await open();
    const values: unknown[] = [
      ...[null, undefined, true, false, 0, -1.5, 2, 10, 1e21, 0.1, 1, "10", "9", "", "abc", "ABD", "abc"],
      ...[
        "Zed",
        "_x",
        "[",
        "école",
        "Émile",
        "ÉCOLE",
        "😀",
        "\uffff",
        "z",
        { b: 1, a: [2] },
        [1, "x"],
        [],
        {},
      ],
      // Objects and arrays by their JSON text as written: key order kept, no spaces.
      ...[{ z: 1, a: 1 }, { m: 1 }, [1, 2], "[1, 5]"],
    ];
    const all = values.map((v, i) => (v === undefined ? { i } : { i, v }));
    const id = await seed(store, all);
    for (const order of ["asc", "desc"] as const) {
      const expected = order === "asc" ? sortedBy(all, "v") : sortedBy(all, "v").reverse();
      expect((await walk(store, id, 1, { sort: { field: "v", order }, limit: 4 })).records).toEqual(expected);
      const skipped = await store.records.query(id, 1, { sort: { field: "v", order }, offset: 7, limit: 30 });
      expect(skipped.records.map((r) => r.data)).toEqual(expected.slice(7));
    }
  });

  it("filters by field, combined with search and sort", async () => {
    const store = await open();
    const all = jobs();
    all[3]!.extra = { a: 1, b: [true] };
    all[6]!.extra = "{}";
    all[9]!.extra = null;
    all[12]!.extra = "";
    all[15]!["it's a.b"] = "odd name"; // a quote and a dot in a field's name
    const id = await seed(store, all);
    const records = (...filters: [string, string, string?][]) =>
      queried(store, id, { filters: filters.map(([field, op, value]) => ({ field, op, value }) as never) });
    expect(await records(["city", "eq", "Paris"])).toEqual(all.filter((job) => job.city === "Paris"));
    expect(await records(["city", "eq", "paris"])).toEqual([]); // eq is exact
    expect(await records(["salary", "eq", "12.50"])).toEqual([all[30]]); // numbers by value
    expect(await records(["salary", "eq", "1.2e4"])).toEqual(all.filter((job) => job.salary === 12000));
    expect(await records(["remote", "eq", "true"])).toEqual(all.filter((job) => job.remote));
    expect(await records(["remote", "eq", "1"])).toEqual([]);
    expect(await records(["extra", "eq", '{"a":1,"b":[true]}'])).toEqual([all[3]]); // as written
    expect(await records(["extra", "eq", "{}"])).toEqual([all[6]]);
    expect(await records(["city", "ne", "Paris"])).toEqual(all.filter((job) => job.city !== "Paris"));
    expect(await records(["extra", "ne", "{}"])).toEqual(all.filter((_, i) => i !== 6)); // missing is ne
    expect(await records(["title", "contains", "WEB ENG"])).toEqual(
      all.filter((job) => String(job.title).startsWith("Web engineer")),
    );
    expect(await records(["salary", "contains", "2.5"])).toEqual([all[30]]);
    expect(await records(["tags", "contains", "LEVEL"])).toEqual(
      all.filter((job) => (job.tags as []).length),
    );
    expect(await records(["remote", "contains", "ru"])).toEqual(all.filter((job) => job.remote));
    expect(await records(["salary", "empty"])).toEqual(all.filter((job) => job.salary === undefined));
    expect(await records(["tags", "empty"])).toEqual(all.filter((job) => (job.tags as []).length === 0));
    expect(await records(["tags", "notempty"])).toEqual(all.filter((job) => (job.tags as []).length > 0));
    expect(await records(["extra", "empty"])).toEqual(all.filter((_, i) => i !== 3 && i !== 6));
    expect(await records(["it's a.b", "eq", "odd name"])).toEqual([all[15]]);
    expect(await queried(store, id, { sort: { field: "it's a.b", order: "desc" } })).toEqual(
      sortedBy(all, "it's a.b").reverse(),
    );
    const combined = await walk(store, id, 1, {
      filters: [
        { field: "city", op: "eq", value: "Berlin" },
        { field: "salary", op: "notempty" },
      ],
      search: "data",
      sort: { field: "salary", order: "desc" },
      limit: 3,
    });
    const expected = all.filter(
      (job) => job.city === "Berlin" && job.salary !== undefined && String(job.title).includes("data"),
    );
    expect(combined.records).toEqual(sortedBy(expected, "salary").reverse());
    expect(combined.positions).toEqual(
      sortedBy(expected, "salary")
        .reverse()
        .map((job) => all.indexOf(job)),
    );
    expect(combined.records.length).toBeGreaterThan(3);
  });

  it("finds, filters and sorts records holding a NUL, and folds case as JavaScript does", async () => {
    const store = await open();
    const all = [
      { t: "a\u0000b", n: 2 },
      { t: "ab", n: 1 },
      { t: "b\u0000", n: 3 },
    ];
    const id = await seed(store, all);
    // A final sigma lower-cases to ς, not σ (Unicode's full case mapping, as toLowerCase()).
    const greek = await seed(store, [{ t: "ΟΔΟΣ" }, { t: "οδοσ" }]);
    expect((await store.records.query(greek, 1, { search: "οδος", limit: 5 })).total).toBe(1);
    const contains = { filters: [{ field: "t", op: "contains" as const, value: "ΟΔΟς" }] };
    expect(await queried(store, greek, contains)).toEqual([{ t: "ΟΔΟΣ" }]);
    expect((await store.records.query(id, 1, { search: "b", limit: 5 })).total).toBe(3);
    expect(await queried(store, id, { filters: [{ field: "t", op: "contains", value: "a" }] })).toEqual(
      all.slice(0, 2),
    );
    expect(await queried(store, id, { sort: { field: "n", order: "asc" } })).toEqual([
      all[1],
      all[0],
      all[2],
    ]);
    expect((await collect(store.records.readPages(id, 1))).flat()).toEqual(all);
  });

  it("refuses a bad sort, filter or cursor, saying what is wrong", async () => {
    const store = await open();
    const id = await seed(store, jobs());
    const refused = (query: Partial<RecordQuery>) =>
      store.records.query(id, 1, { limit: 10, ...query }).then(
        () => expect.fail(`accepted ${JSON.stringify(query)}`),
        (error: { code: string; message: string }) => error,
      );
    expect(await refused({ sort: { field: "salry", order: "asc" } })).toMatchObject({
      code: "TRAWL_ERR_RECORDS_BAD_SORT",
      message: expect.stringContaining('no record of stage 1 has a field "salry"'),
    });
    expect(await refused({ sort: { field: 'a"b', order: "asc" } })).toMatchObject({
      code: "TRAWL_ERR_RECORDS_BAD_SORT",
    });
    expect(await refused({ filters: [{ field: "city", op: "like" as never, value: "x" }] })).toMatchObject({
      code: "TRAWL_ERR_RECORDS_BAD_FILTER",
      message: expect.stringContaining('unknown filter operator "like"'),
    });
    expect(await refused({ filters: [{ field: "city", op: "eq" }] })).toMatchObject({
      code: "TRAWL_ERR_RECORDS_BAD_FILTER",
      message: expect.stringContaining("needs a value"),
    });
    expect(await refused({ filters: [{ field: "cty", op: "empty" }] })).toMatchObject({
      code: "TRAWL_ERR_RECORDS_BAD_FILTER",
    });
    expect(await refused({ cursor: "nonsense" })).toMatchObject({ code: "TRAWL_ERR_RECORDS_BAD_CURSOR" });
    const next = (await store.records.query(id, 1, { sort: { field: "salary", order: "asc" }, limit: 10 }))
      .next!;
    expect(await refused({ sort: { field: "title", order: "asc" }, cursor: next })).toMatchObject({
      code: "TRAWL_ERR_RECORDS_BAD_CURSOR",
      message: expect.stringContaining("another query"),
    });
    // An empty stage has no fields to check: nothing matches.
    const empty = await store.records.query(id, 2, { sort: { field: "any", order: "asc" }, limit: 5 });
    expect(empty).toEqual({ total: 0, offset: 0, next: null, records: [] });
  });

  it("pages a large stage through its sort indexes, dropped with the stage", async () => {
    const store = await open();
    // More than SORT_INDEX_MIN_RECORDS (20,000): sorted pages read through a partial index.
    const all = Array.from({ length: 20_500 }, (_, i) => ({
      n: i % 13 === 0 ? null : (i * 7919) % 1000,
      name: `Item ${(i * 31) % 2000}`,
    }));
    const id = await seed(store, all);
    // Two pages asked at once (a browser's requests): one index, both answered.
    const first = { sort: { field: "n", order: "asc" }, limit: 5 } as const;
    const twice = await Promise.all([1, 2].map(() => store.records.query(id, 1, first)));
    expect(twice[1]).toEqual(twice[0]);
    const asc = await walk(store, id, 1, { sort: { field: "n", order: "asc" }, limit: 1000 });
    expect(asc.records).toEqual(sortedBy(all, "n"));
    const desc = await walk(store, id, 1, { sort: { field: "n", order: "desc" }, limit: 1000 });
    expect(desc.records).toEqual(sortedBy(all, "n").reverse());
    const deep = await store.records.query(id, 1, {
      sort: { field: "name", order: "asc" },
      offset: 20_000,
      limit: 600,
    });
    expect(deep.records.map((r) => r.data)).toEqual(sortedBy(all, "name").slice(20_000));
    expect(deep.next).toBeNull();
    const few = await queried(store, id, {
      sort: { field: "n", order: "desc" },
      filters: [{ field: "name", op: "eq", value: "Item 7" }],
    });
    expect(few).toEqual(
      sortedBy(
        all.filter((r) => r.name === "Item 7"),
        "n",
      ).reverse(),
    );
    expect(await sortIndexes(store)).toHaveLength(2); // one per sorted field
    // Twelve more fields sorted: the oldest indexes (n, then name) make way.
    const fields = Array.from({ length: MAX_SORT_INDEXES }, (_, i) => `f${i}`);
    await store.records.append(id, 1, [Object.fromEntries(fields.map((f) => [f, 1]))], all.length);
    for (const field of fields) await store.records.query(id, 1, { sort: { field, order: "asc" }, limit: 1 });
    expect((await sortIndexes(store)).sort()).toEqual(fields.map((f) => SortIndexes.nameOf(id, 1, f)).sort());
    await store.records.clear(id, 1);
    expect(await sortIndexes(store)).toEqual([]);
  });

  /** The names of the database's sort indexes. */
  async function sortIndexes(store: Store): Promise<string[]> {
    const { location } = locationOf(store);
    if (backend === "sqlite") {
      const db = new Database(location, { readonly: true });
      try {
        return db
          .prepare(`SELECT name FROM sqlite_schema WHERE name LIKE 'records_sort_%'`)
          .pluck()
          .all() as string[];
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT indexname FROM pg_indexes WHERE indexname LIKE 'records_sort_%'`,
      );
      return rows.map((row: { indexname: string }) => row.indexname);
    } finally {
      await client.end();
    }
  }
});
