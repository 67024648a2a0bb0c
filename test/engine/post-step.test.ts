import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runPostStep } from "../../src/engine/post-step.ts";
import type { CompiledStep, StepContext } from "../../src/pipeline/types.ts";
import type { ScrapedRecord } from "../../src/core/index.ts";
import { openSqliteStore, type Store } from "../../src/store/index.ts";

let dir: string;
let store: Store;
let runId: string;

const ctx = {} as StepContext; // the steps below use no context

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-post-step-"));
  store = openSqliteStore(join(dir, "t.db"));
  const steps = [0, 1, 2, 3].map((i) => ({ name: `s${i}`, kind: "test" }));
  ({ id: runId } = await store.runs.create(
    { scraper: "t", source: null, definitionHash: "h", targets: ["t"], breakpoints: [], steps },
    1000,
  ));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Stores `pages` as the crawl does: each page's request done, with its records, in one transaction. */
async function crawled(pages: Record<string, ScrapedRecord[]>): Promise<void> {
  const urls = Object.keys(pages);
  await store.queue.enqueue(
    runId,
    urls.map((url) => ({ url, pageType: "p", target: "t", depth: 0 })),
    1,
  );
  const leased = await store.queue.lease(runId, "test", urls.length, 2);
  const completions = leased.map((request) => ({
    requestId: request.id,
    url: request.url,
    outcome: { ok: true as const, httpStatus: 200 },
    records: pages[request.url]!.map((data) => ({ target: "t", data })),
    links: [],
  }));
  await store.queue.completeMany(runId, completions, 3);
}

const numbered = (n: number) => Array.from({ length: n }, (_, i) => ({ n: i }));

/** A step that emits the records `keep` accepts, as they come (a filter unless told otherwise). */
function keeping(keep: (record: ScrapedRecord) => boolean, filter = true): CompiledStep {
  return {
    name: "keep",
    kind: "test",
    filter,
    async run(input, emit) {
      for await (const record of input) if (keep(record)) emit(record);
    },
  };
}

const keepEvery = keeping(() => true);

/** Runs `step` as stage `index` of the test run. */
const runStep = (step: CompiledStep, index: number) => runPostStep(store, runId, step, index, ctx);

async function stage(index: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const record of store.records.read(runId, index)) out.push(record);
  return out;
}

/** Rows stored for `index` itself (an alias stores none). */
function storedRows(index: number): string[] {
  const db = new Database(join(dir, "t.db"), { readonly: true });
  try {
    const rows = db
      .prepare("SELECT ord FROM records WHERE run_id = ? AND stage = ? ORDER BY ord")
      .all(runId, index) as { ord: string }[];
    return rows.map((row) => row.ord);
  } finally {
    db.close();
  }
}

describe("post-crawl steps", () => {
  it("a filter that keeps every record stores no copy; later stages read the same records", async () => {
    await store.records.append(runId, 0, numbered(1200), 0);
    expect(await runStep(keepEvery, 1)).toMatchObject({ records: 1200 });
    expect(await runStep(keepEvery, 2)).toMatchObject({ records: 1200 });
    expect(storedRows(1)).toEqual([]);
    expect(storedRows(2)).toEqual([]);
    expect(await stage(2)).toEqual(numbered(1200));
    expect(await store.records.count(runId, 2)).toBe(1200);
  });

  it.each([
    ["the first", 0],
    ["one in the middle, after a full buffer", 700],
    ["the last", 1199],
  ])("a filter that drops %s record stores the others in order, numbered from 0", async (_, dropped) => {
    await store.records.append(runId, 0, numbered(1200), 0);
    await runStep(keepEvery, 1); // an alias as input
    const dropOne = keeping((r) => r.n !== dropped);
    const { records } = await runStep(dropOne, 2);
    const expected = numbered(1200).filter((r) => r.n !== dropped);
    expect(records).toBe(1199);
    expect(await stage(2)).toEqual(expected);
    expect(storedRows(2)).toEqual(expected.map((_, i) => String(i).padStart(12, "0")));
  });

  it("a filter that emits a record twice, or one of its own, is stored as emitted", async () => {
    await store.records.append(runId, 0, numbered(3), 0);
    const twice: CompiledStep = {
      ...keeping(() => true),
      async run(input, emit) {
        for await (const record of input) {
          emit(record);
          if (record.n === 1) emit(record);
        }
        emit({ n: 99 });
      },
    };
    await runStep(twice, 1);
    expect(await stage(1)).toEqual([{ n: 0 }, { n: 1 }, { n: 1 }, { n: 2 }, { n: 99 }]);
  });

  it("a step that is not a filter is stored even when it changes nothing", async () => {
    await store.records.append(runId, 0, numbered(3), 0);
    const notAFilter = keeping(() => true, false);
    await runStep(notAFilter, 1);
    expect(storedRows(1)).toHaveLength(3);
    expect(await stage(1)).toEqual(numbered(3));
  });

  it("a re-run step replaces its alias with what it emits now", async () => {
    const onlyTwo = keeping((r) => r.n === 2);
    const none = keeping(() => false);
    await store.records.append(runId, 0, numbered(3), 0);
    await runStep(keepEvery, 1);
    await runStep(onlyTwo, 1);
    expect(await stage(1)).toEqual([{ n: 2 }]);
    await runStep(none, 1);
    expect(await stage(1)).toEqual([]);
    expect(await store.records.count(runId, 1)).toBe(0);
  });

  it("keeps the page each record came from through filters, changes and aliases", async () => {
    const at = async (stage: number) =>
      Promise.all([0, 1, 2].map(async (i) => (await store.records.at(runId, stage, i))?.source));
    await crawled({ "http://s.test/a?x=1": [{ n: 0 }, { n: 1 }], "http://s.test/b": [{ n: 2 }, { n: 3 }] });
    const dropOne = keeping((r) => r.n !== 1);
    const relabel: CompiledStep = {
      name: "relabel",
      kind: "test",
      async run(input, emit) {
        for await (const record of input) emit({ label: `#${String(record.n)}` });
        emit({ label: "total" });
      },
    };
    await runStep(dropOne, 1);
    await runStep(relabel, 2);
    await runStep(keepEvery, 3);
    expect(await at(0)).toEqual(["http://s.test/a?x=1", "http://s.test/a?x=1", "http://s.test/b"]);
    expect(await at(1)).toEqual(["http://s.test/a?x=1", "http://s.test/b", "http://s.test/b"]);
    expect(await at(3)).toEqual(["http://s.test/a?x=1", "http://s.test/b", "http://s.test/b"]);
    expect(await store.records.at(runId, 3, 3)).toEqual({ data: { label: "total" }, source: null });
    expect(await store.records.at(runId, 3, 4)).toBeUndefined();
  });
});
