/**
 * The host gates of PostgreSQL (issue 17, item 4): send time of a host reserved atomically by
 * every process of a run, blocks shared, robots.txt claimed by one process and read by the
 * others. SQLite has none: one process per run keeps them in memory (src/fetch/rate-limiter.ts).
 */
import { expect, it } from "vitest";
import { openPgStore, type HostGateStore, type Store } from "../../src/store/index.ts";
import { describeStores, locationOf } from "./backends.ts";

/** A run of `store` to hang gates on. */
async function newRun(store: Store): Promise<string> {
  const run = { scraper: "s", source: null, definitionHash: "h", targets: [], steps: [], breakpoints: [] };
  return (await store.runs.create(run, Date.now())).id;
}

describeStores(
  "host gates",
  (open) => {
    it("is not there: a SQLite run has one process", async () => {
      expect((await open()).hostGates).toBeUndefined();
    });
  },
  ["sqlite"],
);

describeStores(
  "host gates",
  (open) => {
    // Spans of seconds (nothing sleeps through them): a busy machine's delays between two
    // statements stay far below them.
    it("reserves send time one span after another, per run and host", async () => {
      const store = await open();
      const gates = store.hostGates!;
      const [run, other] = [await newRun(store), await newRun(store)];
      expect(await gates.reserve(run, "a.test", 10_000)).toBe(0);
      const second = await gates.reserve(run, "a.test", 10_000);
      const third = await gates.reserve(run, "a.test", 10_000);
      expect(second).toBeGreaterThan(5_000);
      expect(second).toBeLessThanOrEqual(10_000);
      expect(third - second).toBeGreaterThan(5_000);
      expect(third).toBeLessThanOrEqual(20_000);
      expect(await gates.reserve(run, "b.test", 10_000)).toBe(0);
      expect(await gates.reserve(other, "a.test", 10_000)).toBe(0);
    });

    it("loses no reservation when processes ask at once", async () => {
      const store = await open();
      const run = await newRun(store);
      const others = await Promise.all([1, 2, 3].map(() => openPgStore(locationOf(store).location)));
      try {
        const gates: HostGateStore[] = [store, ...others].map((s) => s.hostGates!);
        const waits = await Promise.all(
          Array.from({ length: 40 }, (_, i) => gates[i % gates.length]!.reserve(run, "a.test", 1000)),
        );
        // Forty spans of a second back to back: the last starts about 39 s from now.
        expect(Math.max(...waits)).toBeGreaterThan(39_000 - 5_000);
        expect(await gates[0]!.reserve(run, "a.test", 1000)).toBeGreaterThan(40_000 - 5_000);
      } finally {
        await Promise.all(others.map((s) => s.close()));
      }
    });

    it("shares a block, which a shorter one does not shorten", async () => {
      const store = await open();
      const gates = store.hostGates!;
      const run = await newRun(store);
      await gates.block(run, "a.test", 60_000);
      await gates.block(run, "a.test", 10);
      const wait = await gates.reserve(run, "a.test", 100);
      expect(wait).toBeGreaterThan(55_000);
      expect(wait).toBeLessThanOrEqual(60_000);
      expect(await gates.reserve(run, "b.test", 100)).toBe(0);
    });

    it("tells every watching process of a block at once", async () => {
      const store = await open();
      const run = await newRun(store);
      const other = await openPgStore(locationOf(store).location);
      const heard: { runId: string; host: string; ms: number }[] = [];
      const stop = other.hostGates!.watchBlocks((runId, host, ms) => heard.push({ runId, host, ms }));
      try {
        // The watch is up once its connection listens: a first block may come before it.
        await expect
          .poll(async () => {
            await store.hostGates!.block(run, "a.test", 30_000);
            return heard.length;
          })
          .toBeGreaterThan(0);
        expect(heard[0]).toMatchObject({ runId: run, host: "a.test" });
        expect(heard[0]!.ms).toBeGreaterThan(25_000);
        expect(heard[0]!.ms).toBeLessThanOrEqual(30_000);
      } finally {
        stop();
        await other.close();
      }
    });

    it("lets one process fetch a robots.txt and the others read it", async () => {
      const store = await open();
      const gates = store.hostGates!;
      const run = await newRun(store);
      const origin = "http://a.test";
      expect(await gates.robots(run, origin, 60_000)).toBe("fetch");
      expect(await gates.robots(run, origin, 60_000)).toBe("wait");
      await gates.keepRobots(run, origin, { status: 200, body: "User-agent: *\nDisallow: /x\n" });
      expect(await gates.robots(run, origin, 60_000)).toEqual({
        file: { status: 200, body: "User-agent: *\nDisallow: /x\n" },
      });
      expect(await gates.robots(await newRun(store), origin, 60_000)).toBe("fetch");

      // A claimant that keeps nothing in time (crashed) is replaced; a failure is kept as one.
      expect(await gates.robots(run, "http://b.test", 1)).toBe("fetch");
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await gates.robots(run, "http://b.test", 60_000)).toBe("fetch");
      await gates.keepRobots(run, "http://b.test", { failed: "connection refused" });
      expect(await gates.robots(run, "http://b.test", 1)).toEqual({ file: { failed: "connection refused" } });

      // A claimant that gives its claim back (closing) lets the next process fetch at once; a kept
      // file is not given back.
      expect(await gates.robots(run, "http://c.test", 60_000)).toBe("fetch");
      await gates.releaseRobots(run, "http://c.test");
      expect(await gates.robots(run, "http://c.test", 60_000)).toBe("fetch");
      await gates.releaseRobots(run, origin);
      expect(await gates.robots(run, origin, 60_000)).toMatchObject({ file: { status: 200 } });
    });
  },
  ["postgres"],
);
