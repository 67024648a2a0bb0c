/** Storage contract of a run's request queue: leasing requests and completing them with what they produced. */
import type { FailureGroup } from "../core/contract/runs.ts";
import type { RequestBody } from "../core/index.ts";

/** A request in a run's queue. */
export interface QueuedRequest {
  id: number;
  url: string;
  /** Set for a POST: its body. */
  body?: RequestBody;
  pageType: string;
  target: string;
  depth: number;
  /** The sitemap `<lastmod>` the request was queued with; null when none. */
  lastmod?: string | null;
  /**
   * The lease's epoch, on a queue several processes share: a number no other lease had. Its
   * completion carries it back; once the lease expired and the request was leased again, the
   * completion is refused.
   */
  epoch?: number;
}

/**
 * A request to enqueue; one the run's queue already has (the same URL, and the same POST body or
 * none) is ignored.
 */
export interface NewRequest {
  url: string;
  /** POSTed with this body; absent: a GET. Part of the request's identity. */
  body?: RequestBody;
  pageType: string;
  target: string;
  depth: number;
  /** The `<lastmod>` of the sitemap entry that listed the URL (sitemap starts). */
  lastmod?: string;
}

/** How one request ended. */
export type RequestOutcome =
  { ok: true; httpStatus: number } | { ok: false; httpStatus?: number; reason: string; error: string };

/** How one leased request ended, with what it produced. */
export interface Completion {
  requestId: number;
  /** The request's URL when the caller has it at hand (saves a lookup). */
  url?: string;
  /** The request's POST body, given with `url` when it has one (records are ordered by both). */
  body?: RequestBody;
  outcome: RequestOutcome;
  records: { target: string; data: unknown }[];
  links: NewRequest[];
  /** The lease's epoch as leased (see {@link QueuedRequest.epoch}). */
  epoch?: number;
}

/** Counters of one target, from the queue. */
export interface TargetCounts {
  target: string;
  pending: number;
  leased: number;
  done: number;
  failed: number;
  records: number;
}

/** Failed requests of one reason code, with one of their URLs. */
export type { FailureGroup } from "../core/contract/runs.ts";

export interface RequestQueue {
  /**
   * True when several processes may lease from one run (PostgreSQL: `trawl worker` on many
   * machines); false when only the process that claimed the run does (SQLite). On a shared queue
   * leases have deadlines that their holders' heartbeats push back ({@link renew}), and a lease
   * past its deadline goes back to pending ({@link reclaimExpired}).
   */
  readonly shared: boolean;
  /** Adds requests; resolves to how many were new. */
  enqueue(runId: string, requests: NewRequest[], now: number): Promise<number>;
  /** Leases up to `limit` pending requests, oldest first. */
  lease(runId: string, owner: string, limit: number, now: number): Promise<QueuedRequest[]>;
  /**
   * Returns the run's leased requests that nobody holds any more to pending: on a queue only one
   * process uses, every one (the process that held them is gone); on a shared queue, those past
   * their deadline (their holder stopped renewing them) and those of `gone`, a process the caller
   * knows to be gone (the run's previous coordinator, whose claim it took over).
   */
  reclaim(runId: string, now: number, gone?: string): Promise<number>;
  /**
   * Pushes back the deadline of `owner`'s leases of the run (its heartbeat); resolves to how many
   * it holds. A queue that is not shared has no deadlines: it does nothing and answers 0.
   */
  renew(runId: string, owner: string, now: number): Promise<number>;
  /** True while the run has requests pending or leased (by any process): its crawl is not over. */
  unfinished(runId: string): Promise<boolean>;
  /**
   * A shared queue: calls `listener` with a run's id when any process gives it pending requests
   * (new, released or reclaimed); returns the function that stops listening. Best effort: a
   * waiter polls as well.
   */
  watch?(listener: (runId: string) => void): () => void;
  /**
   * Atomically: marks the request finished, stores its records (crawl stage) and enqueues the
   * links it found. This single transaction is what makes resume exact. Resolves to the number
   * of links that were new, or -1 when the request was no longer leased (nothing was stored).
   */
  complete(
    runId: string,
    requestId: number,
    outcome: RequestOutcome,
    records: { target: string; data: unknown }[],
    links: NewRequest[],
    now: number,
  ): Promise<number>;
  /**
   * `complete` for several requests in one transaction (each one stays all-or-nothing); resolves
   * to each one's count of new links, -1 where nothing was stored.
   */
  completeMany(runId: string, completions: Completion[], now: number): Promise<number[]>;
  /** Returns a leased request to pending without finishing it. */
  release(runId: string, requestIds: number[], now: number): Promise<void>;
  counts(runId: string): Promise<TargetCounts[]>;
  /** Failed requests grouped by reason. */
  failures(runId: string): Promise<FailureGroup[]>;
}
