/**
 * The request queue's contract (issue 17), on SQLite and PostgreSQL: dedupe by URL and POST body,
 * leases oldest first, completions that store their records and links in one transaction (or
 * nothing, -1, when the lease is gone), counters and failures. The crawl records are read as
 * stored (each backend's key layout is pinned here): the queue writes them, the records store
 * reads them. PostgreSQL only: processes sharing a run never lease one request twice, and never
 * deadlock on the links they enqueue together.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { expect, it } from "vitest";
import { formBody, jsonBody, type RequestBody } from "../../src/core/index.ts";
import { requestBodyDigest, type NewRequest, type QueuedRequest, type Store } from "../../src/store/index.ts";
import { openPgStore } from "../../src/store/pg-store.ts";
import { describeStores, locationOf } from "./backends.ts";

const newRun = { scraper: "shop", source: null, definitionHash: "h", targets: ["a", "b"], breakpoints: [] };
const steps = [
  { name: "crawl", kind: "crawl" },
  { name: "export", kind: "export" },
];
const ok = { ok: true, httpStatus: 200 } as const;
const DAY = 24 * 3600_000;

async function runOf(store: Store): Promise<string> {
  return (await store.runs.create({ ...newRun, steps }, 1000)).id;
}

function request(url: string, more: Partial<NewRequest> = {}): NewRequest {
  return { url, pageType: "list", target: "a", depth: 0, ...more };
}

/** A crawl record as stored: the columns the records store reads. */
interface StoredRecord {
  ord: string;
  target: string;
  data: string;
  source: string | null;
}

/** The crawl stage's rows of `runId` as the database holds them, in their order. */
async function storedRecords(store: Store, runId: string): Promise<StoredRecord[]> {
  const { backend, location } = locationOf(store);
  const sql = "SELECT ord, target, data, source FROM records WHERE run_id = $1 AND stage = 0 ORDER BY ord";
  if (backend === "sqlite") {
    const db = new Database(location, { readonly: true });
    try {
      return db.prepare(sql.replace("$1", "?")).all(runId) as StoredRecord[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    return (await client.query<StoredRecord>(sql, [runId])).rows;
  } finally {
    await client.end();
  }
}

async function crawlData(store: Store, runId: string): Promise<unknown[]> {
  return (await storedRecords(store, runId)).map((row) => JSON.parse(row.data) as unknown);
}

describeStores("the request queue", (open, backend) => {
  it("dedupes URLs, leases in order, and completes atomically with records and links", async () => {
    const store = await open();
    const id = await runOf(store);
    expect(await store.queue.enqueue(id, [request("http://x/1"), request("http://x/1")], 1)).toBe(1);
    const [leased] = await store.queue.lease(id, "p1", 10, 2);
    expect(leased).toEqual({
      id: leased!.id,
      url: "http://x/1",
      pageType: "list",
      target: "a",
      depth: 0,
      lastmod: null,
      // A shared queue numbers each lease (see the shared tests below).
      ...(backend === "postgres" && { epoch: expect.any(Number) as number }),
    });
    const records = [
      { target: "a", data: { n: 2 } },
      { target: "a", data: { n: 1 } },
    ];
    const links = [request("http://x/2", { depth: 1 }), request("http://x/1")];
    expect(await store.queue.complete(id, leased!.id, ok, records, links, 3)).toBe(1);
    expect(await store.queue.counts(id)).toEqual([
      { target: "a", pending: 1, leased: 0, done: 1, failed: 0, records: 2 },
    ]);
    expect(await crawlData(store, id)).toEqual([{ n: 2 }, { n: 1 }]);
  });

  it("ignores the completion of a request that is no longer leased: -1, nothing stored", async () => {
    const store = await open();
    const id = await runOf(store);
    await store.queue.enqueue(id, [request("http://x/1")], 1);
    const [leased] = await store.queue.lease(id, "p1", 1, 2);
    // A day later: past any lease's deadline on a shared queue (the holder is gone).
    const later = 2 + DAY;
    expect(await store.queue.reclaim(id, later)).toBe(1);
    const records = [{ target: "a", data: {} }];
    expect(await store.queue.complete(id, leased!.id, ok, records, [request("http://x/2")], later)).toBe(-1);
    expect(await storedRecords(store, id)).toEqual([]);
    expect((await store.queue.lease(id, "p2", 5, later)).map((r) => r.id)).toEqual([leased!.id]);
    expect(await store.queue.reclaim(id, later + DAY)).toBe(1);
    expect(await store.queue.reclaim(id, later + DAY)).toBe(0);
  });

  it("tells requests apart by URL and POST body: dedupe, lease and records keep POSTs apart", async () => {
    const store = await open();
    const id = await runOf(store);
    const url = "http://shop.test/search";
    const lantern = formBody({ q: "lantern" });
    const rope = formBody({ q: "rope" });
    const post = (body: RequestBody) => request(url, { body });
    const added = await store.queue.enqueue(
      id,
      [request(url), post(lantern), post(rope), post(formBody({ q: "lantern" }))],
      2,
    );
    expect(added).toBe(3);
    expect(await store.queue.enqueue(id, [post(jsonBody({ q: "lantern" }))], 3)).toBe(1);
    const leased = await store.queue.lease(id, "me", 10, 4);
    expect(leased.map((r) => r.body ?? null)).toEqual([null, lantern, rope, jsonBody({ q: "lantern" })]);
    for (const r of leased.slice(1, 3)) {
      await store.queue.complete(id, r.id, ok, [{ target: "a", data: { q: r.body!.text } }], [], 5);
    }
    const stored = await crawlData(store, id);
    expect(stored).toHaveLength(2);
    expect(stored).toEqual(expect.arrayContaining([{ q: "q=lantern" }, { q: "q=rope" }]));
  });

  it("stores crawl records under SQLite's keys: URL, POST body digest, position", async () => {
    const store = await open();
    const id = await runOf(store);
    const body = jsonBody({ q: 1 });
    await store.queue.enqueue(id, [request("http://x/p", { body }), request("http://x/g")], 1);
    const [post, get] = await store.queue.lease(id, "me", 2, 2);
    await store.queue.completeMany(
      id,
      [
        // The caller may give the URL (and body) it has at hand: the keys are the same.
        {
          requestId: post!.id,
          url: post!.url,
          body,
          outcome: ok,
          records: [{ target: "a", data: 1 }],
          links: [],
        },
        {
          requestId: get!.id,
          outcome: ok,
          records: [
            { target: "b", data: 2 },
            { target: "a", data: 3 },
          ],
          links: [],
        },
      ],
      3,
    );
    // PostgreSQL text cannot hold SQLite's NUL: U+0001 there (pg-record-keys.ts). A crawl row's
    // source is its key's (readers take it from there).
    const nul = backend === "sqlite" ? "\u0000" : "\u0001";
    const digest = requestBodyDigest(body);
    expect(await storedRecords(store, id)).toEqual([
      { ord: `http://x/g${nul}000000`, target: "b", data: "2", source: null },
      { ord: `http://x/g${nul}000001`, target: "a", data: "3", source: null },
      { ord: `http://x/p${nul}${digest}${nul}000000`, target: "a", data: "1", source: null },
    ]);
  });

  it("enqueues: new ones counted, ids in the order given, lastmod kept, runs apart", async () => {
    const store = await open();
    const id = await runOf(store);
    const other = await runOf(store);
    expect(await store.queue.enqueue(id, [], 1)).toBe(0);
    const urls = ["http://x/c", "http://x/a", "http://x/c", "http://x/b"];
    expect(
      await store.queue.enqueue(
        id,
        urls.map((url) => request(url, { lastmod: "2026-01-02" })),
        1,
      ),
    ).toBe(3);
    expect(
      await store.queue.enqueue(id, [request("http://x/a"), request("http://x/d", { depth: 2 })], 2),
    ).toBe(1);
    expect(await store.queue.enqueue(other, [request("http://x/a")], 2)).toBe(1);
    const leased = await store.queue.lease(id, "me", 10, 3);
    expect(leased.map((r) => [r.url, r.lastmod, r.depth])).toEqual([
      ["http://x/c", "2026-01-02", 0],
      ["http://x/a", "2026-01-02", 0],
      ["http://x/b", "2026-01-02", 0],
      ["http://x/d", null, 2],
    ]);
    expect((await store.queue.lease(other, "me", 10, 3)).map((r) => r.url)).toEqual(["http://x/a"]);
  });

  it("leases oldest first up to the limit, each request once, and takes releases back", async () => {
    const store = await open();
    const id = await runOf(store);
    await store.queue.enqueue(
      id,
      [1, 2, 3, 4, 5].map((n) => request(`http://x/${n}`)),
      1,
    );
    expect(await store.queue.lease(id, "p1", 0, 2)).toEqual([]);
    const first = await store.queue.lease(id, "p1", 2, 2);
    expect(first.map((r) => r.url)).toEqual(["http://x/1", "http://x/2"]);
    expect((await store.queue.lease(id, "p2", 2, 3)).map((r) => r.url)).toEqual(["http://x/3", "http://x/4"]);
    await store.queue.complete(id, first[1]!.id, ok, [], [], 4);
    // Only leased ones go back: the finished one stays done, an unknown id is ignored.
    await store.queue.release(id, [first[0]!.id, first[1]!.id, 999_999], 5);
    await store.queue.release(id, [], 5);
    expect((await store.queue.lease(id, "p3", 10, 6)).map((r) => r.url)).toEqual([
      "http://x/1",
      "http://x/5",
    ]);
    expect(await store.queue.counts(id)).toEqual([
      { target: "a", pending: 0, leased: 4, done: 1, failed: 0, records: 0 },
    ]);
    expect(await store.queue.lease(id, "p3", 10, 7)).toEqual([]);
  });

  // With their URLs (the crawl's way: PostgreSQL's one-statement batch) and without (looked up).
  for (const urls of ["with", "without"] as const)
    it(`completes several in one transaction, each all-or-nothing, links counted where first new (${urls} URLs)`, async () => {
      const store = await open();
      const id = await runOf(store);
      await store.queue.enqueue(
        id,
        [1, 2, 3].map((n) => request(`http://x/${n}`)),
        1,
      );
      const [one, two, three] = await store.queue.lease(id, "me", 3, 2);
      await store.queue.release(id, [three!.id], 3);
      const shared = request("http://x/shared");
      const give = <T extends { requestId: number }>(c: T) =>
        urls === "with" ? { ...c, url: [one, two, three].find((r) => r!.id === c.requestId)!.url } : c;
      const counts = await store.queue.completeMany(
        id,
        [
          give({
            requestId: one!.id,
            outcome: ok,
            records: [{ target: "a", data: "one" }],
            links: [shared, request("http://x/4")],
          }),
          give({
            requestId: two!.id,
            outcome: ok,
            records: [{ target: "a", data: "two" }],
            links: [request("http://x/5"), shared],
          }),
          give({
            requestId: one!.id,
            outcome: ok,
            records: [{ target: "a", data: "again" }],
            links: [request("http://x/6")],
          }),
          give({
            requestId: three!.id,
            outcome: ok,
            records: [{ target: "a", data: "three" }],
            links: [request("http://x/7")],
          }),
        ],
        4,
      );
      expect(counts).toEqual([2, 1, -1, -1]);
      expect(await crawlData(store, id)).toEqual(["one", "two"]);
      const pending = await store.queue.lease(id, "me", 10, 5);
      expect(pending.map((r) => r.url)).toEqual([
        "http://x/3",
        "http://x/shared",
        "http://x/4",
        "http://x/5",
      ]);
      expect(await store.queue.completeMany(id, [], 6)).toEqual([]);
    });

  it("refuses, storing nothing, a completion of a request the run does not have and whose URL it was not given", async () => {
    const store = await open();
    const id = await runOf(store);
    await store.queue.enqueue(id, [request("http://x/1")], 1);
    const [leased] = await store.queue.lease(id, "me", 1, 2);
    const first = {
      requestId: leased!.id,
      outcome: ok,
      records: [{ target: "a", data: 1 }],
      links: [request("http://x/2")],
    };
    const unknown = { requestId: 999_999, outcome: ok, records: [], links: [] };
    await expect(store.queue.completeMany(id, [first, unknown], 3)).rejects.toMatchObject({
      code: "TRAWL_ERR_CORE_INTERNAL",
      message: `request 999999 of run ${id} does not exist`,
    });
    expect(await storedRecords(store, id)).toEqual([]);
    expect(await store.queue.counts(id)).toEqual([
      { target: "a", pending: 0, leased: 1, done: 0, failed: 0, records: 0 },
    ]);
    // Given its URL, an unknown request is only no longer leased.
    expect(await store.queue.completeMany(id, [{ ...unknown, url: "http://x/9" }, first], 4)).toEqual([
      -1, 1,
    ]);
  });

  it("counts by target and groups failures by reason, most first, with their first URL", async () => {
    const store = await open();
    const id = await runOf(store);
    expect(await store.queue.counts(id)).toEqual([]);
    expect(await store.queue.failures(id)).toEqual([]);
    const urls = ["http://x/b", "http://x/B", "http://x/a", "http://x/c", "http://x/d", "http://x/e"];
    await store.queue.enqueue(
      id,
      urls.map((url, n) => request(url, { target: n % 2 ? "a" : "b" })),
      1,
    );
    const leased = await store.queue.lease(id, "me", 5, 2);
    const failed = (reason: string, httpStatus?: number) => ({
      ok: false as const,
      httpStatus,
      reason,
      error: `${reason}!`,
    });
    // An error may quote what was fetched, a NUL included (PostgreSQL text cannot hold one).
    const parse = {
      ...failed("dns"),
      error: "Unexpected token '\u0000', \"\u0000\u0000\" is not valid JSON",
    };
    const outcomes = [failed("http_404", 404), failed("http_404", 404), failed("timeout"), parse, ok];
    for (const [n, r] of leased.entries()) {
      await store.queue.complete(id, r.id, outcomes[n]!, [{ target: r.target, data: n }], [], 3);
    }
    expect(await store.queue.counts(id)).toEqual([
      { target: "a", pending: 1, leased: 0, done: 0, failed: 2, records: 0 },
      { target: "b", pending: 0, leased: 0, done: 1, failed: 2, records: 1 },
    ]);
    expect(await store.queue.failures(id)).toEqual([
      { reason: "http_404", count: 2, example: "http://x/B" },
      { reason: "dns", count: 1, example: "http://x/c" },
      { reason: "timeout", count: 1, example: "http://x/a" },
    ]);
    // A failed page's records are stored too (its counter says 0), in byte order of their URLs.
    expect(await crawlData(store, id)).toEqual([1, 2, 0, 3, 4]);
  });
});

describeStores(
  "the request queue shared by processes",
  (open) => {
    /** Completes `leased` with its URL, as the crawl does; resolves to its new links' count. */
    async function finish(
      from: Store,
      id: string,
      leased: QueuedRequest,
      links: NewRequest[],
    ): Promise<number> {
      const [added] = await from.queue.completeMany(
        id,
        [{ requestId: leased.id, url: leased.url, epoch: leased.epoch, outcome: ok, records: [], links }],
        3,
      );
      return added!;
    }

    /** A second store on the same database: another process. */
    async function twin(store: Store): Promise<Store> {
      return openPgStore(locationOf(store).location);
    }

    it("never leases one request to two stores leasing at once", async () => {
      const store = await open();
      const other = await twin(store);
      try {
        const id = await runOf(store);
        const total = 1500;
        await store.queue.enqueue(
          id,
          Array.from({ length: total }, (_, n) => request(`http://x/${n}`)),
          1,
        );
        const taken: number[] = [];
        const leaser = async (from: Store, name: string) => {
          for (;;) {
            const batch = await from.queue.lease(id, name, 7, 2);
            if (batch.length === 0) return;
            taken.push(...batch.map((r) => r.id));
          }
        };
        const leasers = [store, other].flatMap((s, n) => [1, 2, 3, 4].map((k) => leaser(s, `p${n}-${k}`)));
        await Promise.all(leasers);
        expect(taken).toHaveLength(total);
        expect(new Set(taken).size).toBe(total);
        expect(await other.queue.counts(id)).toEqual([
          { target: "a", pending: 0, leased: total, done: 0, failed: 0, records: 0 },
        ]);
      } finally {
        await other.close();
      }
    });

    it("completes pages whose links overlap in another order, at once, without a deadlock", async () => {
      const store = await open();
      const other = await twin(store);
      try {
        const id = await runOf(store);
        // Inserted in page order, two transactions meet in the middle, each waiting on the other.
        for (let round = 0; round < 4; round++) {
          const pages = [request(`http://x/${round}/p1`), request(`http://x/${round}/p2`)];
          await store.queue.enqueue(id, pages, 1);
          const [p1, p2] = await store.queue.lease(id, "me", 2, 2);
          const links = Array.from({ length: 2000 }, (_, n) => request(`http://x/${round}/${n}`));
          const [a, b] = await Promise.all([
            // One by its id (looked up), one with its URL (the one-statement batch).
            store.queue.complete(id, p1!.id, ok, [], links, 3),
            finish(other, id, p2!, [...links].reverse()),
          ]);
          expect(a + b).toBe(2000);
          await store.queue.lease(id, "me", 2000, 4);
        }
        expect(await store.queue.counts(id)).toEqual([
          { target: "a", pending: 0, leased: 8000, done: 8, failed: 0, records: 0 },
        ]);
      } finally {
        await other.close();
      }
    });

    it("completes pages that link to each other at once, without a deadlock", async () => {
      const store = await open();
      const other = await twin(store);
      try {
        const id = await runOf(store);
        // A link to a page another transaction is finishing must not wait for it: that one may be
        // waiting for this one's page the same way.
        for (let round = 0; round < 20; round++) {
          const [p1, p2] = [request(`http://x/${round}/p1`), request(`http://x/${round}/p2`)];
          await store.queue.enqueue(id, [p1, p2], 1);
          const [l1, l2] = await store.queue.lease(id, "me", 2, 2);
          const both = await Promise.all([
            finish(store, id, l1!, [p2, request(`http://x/${round}/new`)]),
            finish(other, id, l2!, [p1]),
          ]);
          expect(both).toEqual([1, 0]);
          await store.queue.lease(id, "me", 1, 4);
        }
        expect(await store.queue.counts(id)).toEqual([
          { target: "a", pending: 0, leased: 20, done: 40, failed: 0, records: 0 },
        ]);
      } finally {
        await other.close();
      }
    });

    it("renews and reclaims leases while their holder completes them, without a deadlock", async () => {
      const store = await open();
      const id = await runOf(store);
      const total = 1600;
      await store.queue.enqueue(
        id,
        Array.from({ length: total }, (_, n) => request(`http://x/${n}`)),
        1,
      );
      // The heartbeat and the reclaimer run all along, as a worker's do, while batches of the
      // holder's leases complete at once (a crawl's completions overlap): each locks the holder's
      // rows in its own order, and waiting for one another, two deadlocked within seconds.
      let done = false;
      const beat = async () => {
        while (!done) {
          await store.queue.renew(id, "me", 3);
          await store.queue.reclaim(id, 3);
        }
      };
      const failures: unknown[] = [];
      const heart = beat().catch((error: unknown) => failures.push(error));
      try {
        for (;;) {
          const leased = await store.queue.lease(id, "me", 32, 2);
          if (leased.length === 0) break;
          const batches = [0, 8, 16, 24].map((from) => leased.slice(from, from + 8));
          await Promise.all(
            batches.map((batch) =>
              store.queue.completeMany(
                id,
                batch.map((r) => ({
                  requestId: r.id,
                  url: r.url,
                  epoch: r.epoch,
                  outcome: ok,
                  records: [],
                  links: [],
                })),
                3,
              ),
            ),
          );
        }
      } finally {
        done = true;
        await heart;
      }
      expect(failures).toEqual([]);
      expect(await store.queue.counts(id)).toEqual([
        { target: "a", pending: 0, leased: 0, done: total, failed: 0, records: 0 },
      ]);
    });

    it("refuses the late completion of a lease that expired and went to another process", async () => {
      const base = await open();
      const store = await openPgStore(locationOf(base).location, { leaseMs: 1000 });
      try {
        expect(store.queue.shared).toBe(true);
        const id = await runOf(store);
        await store.queue.enqueue(id, [request("http://x/1"), request("http://x/2")], 1);
        const [frozen, alive] = await store.queue.lease(id, "frozen", 2, 1000);
        // The live holder renews; the frozen one does not.
        expect(await store.queue.renew(id, "alive", 1500)).toBe(0);
        expect(await store.queue.renew(id, "frozen", 1500)).toBe(2);
        expect(await store.queue.reclaim(id, 2499)).toBe(0);
        expect(await store.queue.reclaim(id, 2500)).toBe(2);
        const [again] = await store.queue.lease(id, "other", 1, 2600);
        expect(again!.id).toBe(frozen!.id);
        expect(again!.epoch).toBeGreaterThan(frozen!.epoch!);
        const page = (epoch: number | undefined) => ({
          requestId: frozen!.id,
          url: frozen!.url,
          epoch,
          outcome: ok,
          records: [{ target: "a", data: { by: epoch } }],
          links: [request("http://x/3")],
        });
        // The frozen process wakes up and commits: refused, nothing stored.
        expect(await store.queue.completeMany(id, [page(frozen!.epoch)], 2700)).toEqual([-1]);
        expect(await storedRecords(base, id)).toEqual([]);
        expect(await store.queue.completeMany(id, [page(again!.epoch)], 2800)).toEqual([1]);
        expect(await crawlData(base, id)).toEqual([{ by: again!.epoch }]);
        expect(alive!.epoch).not.toBe(frozen!.epoch);
      } finally {
        await store.close();
      }
    });

    it("gives back at once the leases of a holder known to be gone, not a live one's", async () => {
      const store = await open();
      const id = await runOf(store);
      await store.queue.enqueue(id, [request("http://x/1"), request("http://x/2")], 1);
      await store.queue.lease(id, "dead", 1, 2);
      await store.queue.lease(id, "alive", 1, 2);
      expect(await store.queue.reclaim(id, 3)).toBe(0);
      expect(await store.queue.reclaim(id, 3, "dead")).toBe(1);
      expect((await store.queue.counts(id))[0]).toMatchObject({ pending: 1, leased: 1 });
    });

    it("says whether a run's crawl is over for every process, and wakes watchers of new requests", async () => {
      const store = await open();
      const other = await twin(store);
      const heard: string[] = [];
      const stop = other.queue.watch!((runId) => heard.push(runId));
      try {
        const id = await runOf(store);
        expect(await other.queue.unfinished(id)).toBe(false);
        await store.queue.enqueue(id, [request("http://x/1")], 1);
        expect(await other.queue.unfinished(id)).toBe(true);
        const [leased] = await store.queue.lease(id, "me", 1, 2);
        expect(await other.queue.unfinished(id)).toBe(true);
        await store.queue.complete(id, leased!.id, ok, [], [], 3);
        expect(await other.queue.unfinished(id)).toBe(false);
        await expect.poll(() => heard).toEqual([id]);
      } finally {
        stop();
        await other.close();
      }
    });
  },
  ["postgres"],
);
