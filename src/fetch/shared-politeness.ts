/**
 * Politeness shared by every process that crawls one run (`trawl worker`s on several machines, on
 * PostgreSQL): per-host send slots, `Retry-After` blocks and robots.txt live in the database, so
 * four workers never ask a host four times harder than one. The store implements it (see
 * src/store/host-gate-types.ts); the app hands it to the fetcher of a run. Without it (SQLite:
 * one process per run) the fetcher keeps everything in memory, as always.
 */
import type { RobotsFile } from "./robots.ts";

/**
 * A robots.txt as the process that fetched it kept it: its status and body, or `failed` with why
 * it could not be fetched (a network failure: everything is allowed).
 */
export type SharedRobotsFile = RobotsFile | { failed: string };

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
  /** The robots.txt of `origin` (`http://host:port`): kept already, to fetch, or to wait for. */
  robots(origin: string): Promise<SharedRobotsAnswer>;
  /** Keeps what fetching `origin`'s robots.txt gave, for every process of the run. */
  keepRobots(origin: string, file: SharedRobotsFile): Promise<void>;
  /** Gives back a claimed fetch this process could not make (it is closing): another one makes it. */
  releaseRobots(origin: string): Promise<void>;
}
