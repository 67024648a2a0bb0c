/**
 * Storage contract of politeness shared across the processes of one run (issue 17): per-host send
 * slots, `Retry-After` blocks and robots.txt, kept in the database so that workers on several
 * machines together keep a host's `rate_per_host`. PostgreSQL's alone: a SQLite run has one
 * process, whose fetcher keeps all of it in memory. Times are the database's clock, never a
 * caller's, so machines whose clocks disagree still agree on a host's slots.
 */

/** A robots.txt as the process that fetched it kept it, or why it could not be fetched. */
export type KeptRobotsFile = { status: number; body: string } | { failed: string };

/**
 * What asking for a run's robots.txt of an origin answers: the kept file; `fetch` (the caller
 * claimed the fetch: it fetches, then keeps the file); `wait` (another process claimed it).
 */
export type RobotsClaim = { file: KeptRobotsFile } | "fetch" | "wait";

export interface HostGateStore {
  /**
   * Reserves `spanMs` of `host`'s send time in run `runId`: the span starts when the previous
   * reservation of any process ends, or now, or when the host's block ends, whichever is latest.
   * Resolves to the milliseconds from now until it starts (0: now). One atomic statement.
   */
  reserve(runId: string, host: string, spanMs: number): Promise<number>;
  /**
   * Blocks `host` for every process of run `runId` for `ms` from now; a block that ends later
   * stays. Processes that watch blocks hear it at once (see `watchBlocks`).
   */
  block(runId: string, host: string, ms: number): Promise<void>;
  /**
   * Calls `listener` with each block any process sets from now on (run, host, its milliseconds
   * left): a process holding a slot reserved before the block learns of it before sending.
   * Returns the function that stops. Best effort: reservations respect blocks anyway.
   */
  watchBlocks(listener: (runId: string, host: string, ms: number) => void): () => void;
  /**
   * The robots.txt of `origin` in run `runId`: kept already, or claimed for the caller (for
   * `claimMs`: a claimant that keeps nothing by then, crashed or stuck, is replaced), or claimed
   * by another process.
   */
  robots(runId: string, origin: string, claimMs: number): Promise<RobotsClaim>;
  /** Keeps what fetching `origin`'s robots.txt gave, for every process of run `runId`. */
  keepRobots(runId: string, origin: string, file: KeptRobotsFile): Promise<void>;
  /** Gives back the claim of a robots.txt fetch not made, unless the file is kept already. */
  releaseRobots(runId: string, origin: string): Promise<void>;
}
