/**
 * Politeness shared by every process that crawls one run (`trawl worker`s on several machines, on
 * PostgreSQL): per-host send slots, `Retry-After` blocks and robots.txt live in the database, so
 * four workers never ask a host four times harder than one. The store implements it (see
 * src/store/host-gate-types.ts); the app hands it to the fetcher of a run. Without it (SQLite:
 * one process per run) the fetcher keeps everything in memory, as always.
 */
import type { PaceDefaults } from "./fetch-defaults.ts";

/**
 * A shared limiter reserves send time for up to this many milliseconds of a host's waiters at
 * once: one round trip serves several requests of a fast host, while a slow host (< 40/s) asks
 * per request, so that a block set meanwhile by another process leaks at most one request each.
 */
export const RESERVE_SPAN_MS = 50;

/**
 * A shared host's pace rules: a process sees only its share of the host's answers, so its
 * goodput says little of the host's and never sets a cut's ceiling (the slots each process
 * reserves at its pace space every process's requests: a cut to one process's goodput would cut
 * the host to a share of what it serves). A cut takes the rate down by the cut factor instead.
 */
export const SHARED_PACE: Partial<PaceDefaults> = { goodputMinResponses: Number.POSITIVE_INFINITY };

/**
 * Whether a process woke `lateMs` after its slot (of `intervalMs`) too late to use it: sent now,
 * its request would arrive with the next process's, as two at once (a busy or starting process's
 * timers fire late). The slot is given up and another reserved; that one is used however late,
 * so that a process always busy still sends.
 */
export function lateBy(lateMs: number, intervalMs: number): boolean {
  return lateMs > Math.max(intervalMs / 2, 20);
}

/**
 * A robots.txt as the process that fetched it kept it: its status and body, or `failed` with why
 * it could not be fetched (a network failure: everything is allowed).
 */
export type SharedRobotsFile = { status: number; body: string } | { failed: string };

/**
 * What {@link SharedPoliteness.robots} answers: the file another process kept; `fetch` (this
 * process claimed the fetch: fetch it, then `keepRobots`); `wait` (another process is fetching
 * it: ask again shortly).
 */
export type SharedRobotsAnswer = { file: SharedRobotsFile } | "fetch" | "wait";

/** The politeness state of one run, shared by its processes (times are the database's). */
export interface SharedPoliteness {
  /**
   * Reserves the next `spanMs` of `host`'s send time for this process: resolves to the
   * milliseconds to wait before its first request (0: now). Grants follow each other by the
   * span each process reserved, whichever process asks, and never fall inside a block. One
   * atomic statement, one round trip.
   */
  reserve(host: string, spanMs: number): Promise<number>;
  /** Blocks `host` for `ms` from now, for every process (a `Retry-After`); a longer block stays. */
  block(host: string, ms: number): Promise<void>;
  /**
   * Calls `listener` with each block another process (or this one) sets from now on: its host
   * and milliseconds left, so that a slot reserved before it is not used. Returns the function
   * that stops.
   */
  watchBlocks(listener: (host: string, ms: number) => void): () => void;
  /** The robots.txt of `origin` (`http://host:port`): kept already, to fetch, or to wait for. */
  robots(origin: string): Promise<SharedRobotsAnswer>;
  /** Keeps what fetching `origin`'s robots.txt gave, for every process of the run. */
  keepRobots(origin: string, file: SharedRobotsFile): Promise<void>;
  /** Gives back a claimed fetch this process could not make (it is closing): another one makes it. */
  releaseRobots(origin: string): Promise<void>;
}
