import { NotFoundError } from "../core/errors.ts";
import { loadScraper } from "../pipeline/index.ts";
import type { RunRecord, Store } from "../store/index.ts";
import { describeRun, type RunSummary } from "./run-summary.ts";

type Json = Record<string, unknown>;

/** A record present in both runs whose fields differ. */
export interface ChangedRecord {
  key: string;
  fields: { field: string; a: unknown; b: unknown }[];
}

/** Two runs side by side and how their final records differ. */
export interface RunComparison {
  a: RunSummary;
  b: RunSummary;
  /** The fields that identify a record across runs; null: whole records are compared. */
  key: string[] | null;
  /** The differences (at most {@link MAX_LISTED} listed of each kind) and exact counts. */
  records: {
    added: Json[];
    removed: Json[];
    changed: ChangedRecord[];
    unchanged: number;
    counts: { added: number; removed: number; changed: number };
  };
}

/** Most records listed per kind of difference; `counts` are exact. */
const MAX_LISTED = 1000;

/**
 * Compares the final records of run `a` (older) with run `b` (newer), keyed by `key`: given,
 * else the dedupe key of b's definition (if it still loads), else `url` when every record has
 * one, else the whole record (then nothing is "changed", only added or removed).
 */
export async function compareRuns(
  store: Store,
  aId: string,
  bId: string,
  key?: string[],
): Promise<RunComparison> {
  const [a, b] = await Promise.all([requireRun(store, aId), requireRun(store, bId)]);
  const [recordsA, recordsB] = await Promise.all([finalRecords(store, a), finalRecords(store, b)]);
  return {
    a: await describeRun(store, a),
    b: await describeRun(store, b),
    ...diffRecords(recordsA, recordsB, key ?? (await dedupeKeyOf(b))),
  };
}

/** How two lists of records differ. */
export interface RecordDiff {
  /** The fields that identify a record across the lists; null: whole records are compared. */
  key: string[] | null;
  records: RunComparison["records"];
}

/**
 * Compares records `a` (older) with `b` (newer), identified by `key`, else by `url` when every
 * record has one, else as whole records (then nothing is "changed", only added or removed).
 */
export function diffRecords(recordsA: Json[], recordsB: Json[], key: readonly string[] | null): RecordDiff {
  const identity = key ? [...key] : everyHas([...recordsA, ...recordsB], "url") ? ["url"] : null;
  const keyOf = (record: Json) => JSON.stringify(identity ? identity.map((f) => record[f] ?? null) : record);
  const before = new Map(recordsA.map((record) => [keyOf(record), record]));
  const added: Json[] = [];
  const changed: ChangedRecord[] = [];
  let unchanged = 0;
  for (const record of recordsB) {
    const k = keyOf(record);
    const old = before.get(k);
    before.delete(k);
    if (!old) added.push(record);
    else {
      const fields = fieldChanges(old, record);
      if (fields.length === 0) unchanged++;
      else
        changed.push({
          key: identity ? identity.map((f) => String(record[f] ?? "")).join(" / ") : k,
          fields,
        });
    }
  }
  return {
    key: identity,
    records: {
      added: added.slice(0, MAX_LISTED),
      removed: [...before.values()].slice(0, MAX_LISTED),
      changed: changed.slice(0, MAX_LISTED),
      unchanged,
      counts: { added: added.length, removed: before.size, changed: changed.length },
    },
  };
}

/** The run of the same scraper created just before `runId`, or null. */
export async function previousRun(store: Store, runId: string): Promise<RunRecord | null> {
  const run = await requireRun(store, runId);
  // By creation time, not by id: ids order runs only to the tenth of a second.
  const earlier = await store.runs.list({ scraper: run.scraper, createdUntil: run.createdAt, limit: 50 });
  return earlier.reduce<RunRecord | null>(
    (latest, r) => (!latest || r.createdAt > latest.createdAt ? r : latest),
    null,
  );
}

function fieldChanges(a: Json, b: Json): ChangedRecord["fields"] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return names
    .filter((field) => JSON.stringify(a[field] ?? null) !== JSON.stringify(b[field] ?? null))
    .map((field) => ({ field, a: a[field] ?? null, b: b[field] ?? null }));
}

/** The run, or a `NotFoundError` (`TRAWL_ERR_ENGINE_RUN_NOT_FOUND`; 404 through the API). */
export async function requireRun(store: Store, id: string): Promise<RunRecord> {
  const run = await store.runs.get(id);
  if (!run) throw new NotFoundError("TRAWL_ERR_ENGINE_RUN_NOT_FOUND", `no run ${id}`);
  return run;
}

/** The stage of a run's last finished step (0, the crawl's, when no step finished). */
export async function finalStage(store: Store, runId: string): Promise<number> {
  const steps = await store.steps.list(runId);
  return steps.filter((step) => step.status === "done").at(-1)?.index ?? 0;
}

/** The records of a run's last finished step (the crawl's when no later step finished). */
export async function finalRecords(store: Store, run: RunRecord): Promise<Json[]> {
  const stage = await finalStage(store, run.id);
  const records: Json[] = [];
  for await (const record of store.records.read(run.id, stage)) records.push(record as Json);
  return records;
}

async function dedupeKeyOf(run: RunRecord): Promise<string[] | null> {
  if (!run.source) return null;
  try {
    const scraper = await loadScraper(run.source);
    const step = scraper.steps.findLast((s) => s.identity !== undefined);
    return step?.identity ? [...step.identity] : null;
  } catch {
    return null; // the definition moved or broke since: fall back
  }
}

function everyHas(records: Json[], field: string): boolean {
  return (
    records.length > 0 && records.every((record) => record[field] !== undefined && record[field] !== null)
  );
}
