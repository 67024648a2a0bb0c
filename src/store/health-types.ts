/** Storage contract of health samples. */

/** What a process measured at one instant: itself, its machine and the runs of the database. */
export interface HealthSampleRecord {
  /** The series: `serve` for `trawl serve`. */
  role: string;
  at: number;
  /** The process that measured (`host:pid:nonce`). */
  process: string;
  rss: number;
  heapUsed: number;
  /** CPU time of the process since the previous sample, in % of one core. */
  cpuPercent: number;
  load: [number, number, number];
  memoryTotal: number;
  memoryFree: number;
  diskTotal: number | null;
  diskFree: number | null;
  activeRuns: number;
  queuedRuns: number;
  /** Fetch attempts per second over every running run since the previous sample. */
  requestsPerSecond: number;
  /** Event-loop lag over the interval, in ms (p99 and max); null when not measured. */
  lagP99Ms: number | null;
  lagMaxMs: number | null;
}

/** A running run's progress at a health sample: its pages (done or failed) and fetch attempts. */
export interface RunSampleRecord {
  runId: string;
  at: number;
  pages: number;
  requests: number;
}

/** Health samples over time, one series per role, written by the holder of the role's lease. */
export interface HealthStore {
  /** Takes or renews the sampler lease of `role` until `now + ttlMs`; false while another owner holds it. */
  lead(role: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `owner` holds it, so another process samples at once. */
  resign(role: string, owner: string): Promise<void>;
  /** Stores a sample, with the running runs' progress at the same instant. */
  add(sample: HealthSampleRecord, runs?: readonly RunSampleRecord[]): Promise<void>;
  /** Samples with `from <= at < until`, oldest first, at most `limit` (the newest kept). */
  list(filter: { role?: string; from: number; until: number; limit?: number }): Promise<HealthSampleRecord[]>;
  /** A run's progress samples with `from <= at < until`, oldest first. */
  listRun(runId: string, filter: { from: number; until: number }): Promise<RunSampleRecord[]>;
  /** Deletes every sample (and run sample) older than `before`; resolves to how many samples. */
  prune(before: number): Promise<number>;
}
