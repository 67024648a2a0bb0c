import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Progress, RunStatus } from "../core/index.ts";
import { loadScraper } from "../pipeline/index.ts";
import { NoRecordingError, ReplayFetcher } from "../replay/index.ts";

import { App } from "./app.ts";
import { appError } from "./errors.ts";
import type { RecordDiff } from "../core/contract/compare.ts";
import { finalRecords, requireRun } from "./compare-runs.ts";
import { diffRecords } from "../datasets/index.ts";

/** What replaying a recorded run gave, against what the run itself produced. */
export interface ReplayReport extends RecordDiff {
  /** The recorded run. */
  run: string;
  scraper: string;
  /** The definition replayed. */
  definition: string;
  /** How the replay ended (`succeeded` unless the definition failed, e.g. in a step). */
  status: RunStatus;
  error: string | null;
  /** Final records of the recorded run and of the replay. */
  counts: { recorded: number; replayed: number };
  /** True when the replay produced exactly the recorded run's records. */
  identical: boolean;
  /** Requests the replay made that the recording does not have (not fetched: reported). */
  missing: string[];
}

/**
 * Replays a recorded run offline: the scraper (the run's own definition, or `definition`, e.g. a
 * fixed selector) runs against the recording and nothing else, in a throw-away data directory, so
 * the replay leaves no run, dataset or session behind. The report diffs its final records with
 * the recorded run's.
 *
 * @throws NoRecordingError (TRAWL_ERR_REPLAY_NO_RECORDING) when the run recorded no page.
 */
export async function replayRun(
  app: App,
  runId: string,
  definition?: string,
  onProgress?: (progress: Progress) => void,
): Promise<ReplayReport> {
  const run = await requireRun(app.store, runId);
  const counts = await app.store.captures.counts(runId);
  if (!counts.page) throw new NoRecordingError(runId);
  const source = definition ?? run.source;
  if (!source) {
    throw appError(
      "TRAWL_ERR_APP_NO_DEFINITION",
      `run ${runId} has no definition file on record: give one with --scraper FILE`,
    );
  }
  // Nothing is typed in a replay (actions are not run), so the variables they read need not be set.
  const scraper = { ...(await loadScraper(source)), envNames: [], secretNames: [] };
  const home = await mkdtemp(join(tmpdir(), "trawl-replay-"));
  const blobs = app.store.blobStore(app.paths.blobs);
  let fetcher: ReplayFetcher | undefined;
  const sandbox = await App.open({
    home,
    clock: app.clock,
    createFetcher: ({ scraper: replayed, onAttempt }) =>
      (fetcher = new ReplayFetcher(app.store, blobs, runId, { onAttempt, scraper: replayed })),
    // Start datasets are the app's (on PostgreSQL, every machine's), at the versions the recorded run read.
    startDatasets: app.datasets,
  });
  const unsubscribe = sandbox.engine.bus.subscribe((event) => {
    if (event.type === "progress.updated") onProgress?.(event.overall);
  });
  try {
    const { startData } = run.options;
    const replayed = await sandbox.engine.run(scraper, startData ? { startData } : {});
    const [recordedRecords, replayedRecords] = await Promise.all([
      finalRecords(app.store, run),
      finalRecords(sandbox.store, replayed),
    ]);
    const diff = diffRecords(recordedRecords, replayedRecords, scraper.key ?? null);
    const { added, removed, changed } = diff.records.counts;
    return {
      run: runId,
      scraper: scraper.name,
      definition: scraper.source ?? source,
      status: replayed.status,
      error: replayed.error,
      counts: { recorded: recordedRecords.length, replayed: replayedRecords.length },
      identical: added + removed + changed === 0,
      missing: [...new Set(fetcher?.missing ?? [])],
      ...diff,
    };
  } finally {
    unsubscribe();
    await sandbox.close();
    await rm(home, { recursive: true, force: true });
  }
}
