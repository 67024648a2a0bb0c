/**
 * Storage contract of the fleet: the processes that execute runs (`trawl worker`, and `trawl run`,
 * `trawl resume`, `trawl serve`, `trawl scheduler` while they execute one) report themselves on
 * every heartbeat, so that any machine can list who serves which run (`trawl workers`, the
 * Workers page).
 */

/** A process that executes runs, as it last reported itself. */
export interface WorkerReport {
  /** The process's owner id (the one its leases and claims carry): `host:pid:random`. */
  id: string;
  host: string;
  pid: number;
  /** What it is: `worker` (`trawl worker`), or the command executing runs (`run`, `serve`, …). */
  kind: string;
  startedAt: number;
  /** When it last reported (ms since the epoch). */
  heartbeatAt: number;
  /** The runs it serves now (empty: idle). */
  runs: string[];
  /** Requests it holds leased now, over all its runs. */
  leases: number;
  /** Pages it finished per second over its last heartbeat interval. */
  pagesPerSecond: number;
  /** Requests it may have in flight at once, over all its runs. */
  concurrency: number;
}

export interface WorkerStore {
  /** Stores the report of a worker, replacing its previous one. */
  report(worker: WorkerReport): Promise<void>;
  /** Removes a worker that stopped cleanly. */
  leave(id: string): Promise<void>;
  /** Every reported worker, most recent heartbeat first; gone ones included (see `prune`). */
  list(): Promise<WorkerReport[]>;
  /** Removes workers whose last heartbeat is older than `before` (crashed or killed); resolves to how many. */
  prune(before: number): Promise<number>;
}
