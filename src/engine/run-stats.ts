import type { AttemptInfo, ProxyStats } from "../fetch/index.ts";
import { addLatencyCounts, countLatency, latencyPercentiles, type LatencyCounts } from "./latency-counts.ts";

/** A snapshot of a run's fetch statistics, stored with the run and shown by `trawl show`. */
export interface RunStatsSnapshot {
  requests: number;
  bytes: number;
  retries: number;
  /** Pages answered 304 and reused from the last run (`cache: revalidate`); absent when none. */
  notModified?: number;
  statusCodes: Record<string, number>;
  reasons: Record<string, number>;
  latencyMs: { p50: number; p95: number; max: number };
  /**
   * Every response time of the run, counted per bucket (see latency-counts.ts): what the
   * percentiles are read from. Stored, not shown (`describeRun` leaves it out).
   */
  latencyCounts?: LatencyCounts;
  pagesPerSecond: number;
  /** Seconds spent running (pauses excluded), over all sessions of the run. */
  runningSeconds: number;
  /** Per host: requests and bytes, and the rate limiter's state (see {@link RunStats.recordHostRates}). */
  hosts: Record<string, HostStatsSnapshot>;
  /** Per proxy (`scheme://host:port`): attempts, failures by reason, and why it was retired. */
  proxies?: Record<string, ProxyStatsSnapshot>;
}

/** What one proxy did over the run (every session of it). */
export type ProxyStatsSnapshot = Omit<ProxyStats, "proxy">;

/** One host's counters and its rate limiter's state: current and maximum rate, throttles, time blocked. */
export interface HostStatsSnapshot {
  requests: number;
  bytes: number;
  rate?: number;
  maxRate?: number;
  throttled?: number;
  blockedMs?: number;
}

/** What the fetcher's rate limiter tells about one host (see `Fetcher.hostStats`). */
export interface HostRate {
  host: string;
  rate: number;
  maxRate?: number;
  throttled: number;
  blockedMs?: number;
}

/** Collects statistics from every fetch attempt of a run. */
export class RunStats {
  private requests = 0;
  private bytes = 0;
  private retries = 0;
  private notModified = 0;
  private statusCodes: Record<string, number> = {};
  private reasons: Record<string, number> = {};
  private hosts: RunStatsSnapshot["hosts"] = {};
  /** The proxies' counts of earlier sessions, and of this one (the fetcher's, added to those). */
  private proxiesBefore: Record<string, ProxyStatsSnapshot> = {};
  private proxies: Record<string, ProxyStatsSnapshot> | undefined;
  private latencyCounts: LatencyCounts = {};
  private maxLatency = 0;

  /** Continues from a stored snapshot (a resumed run keeps its totals). */
  constructor(previous?: Partial<RunStatsSnapshot>) {
    if (!previous) return;
    this.requests = previous.requests ?? 0;
    this.bytes = previous.bytes ?? 0;
    this.retries = previous.retries ?? 0;
    this.notModified = previous.notModified ?? 0;
    this.statusCodes = { ...previous.statusCodes };
    this.reasons = { ...previous.reasons };
    this.hosts = structuredClone(previous.hosts ?? {});
    this.proxiesBefore = structuredClone(previous.proxies ?? {});
    if (previous.proxies) this.proxies = structuredClone(previous.proxies);
    this.latencyCounts = { ...previous.latencyCounts };
    this.maxLatency = previous.latencyMs?.max ?? 0;
  }

  /** Counts one attempt. */
  record(attempt: AttemptInfo): void {
    this.requests++;
    this.bytes += attempt.bytes;
    if (attempt.attempt > 0) this.retries++;
    if (attempt.notModified) this.notModified++;
    if (attempt.status !== undefined) bump(this.statusCodes, String(attempt.status));
    if (attempt.reason) bump(this.reasons, attempt.reason);
    const host = (this.hosts[attempt.host] ??= { requests: 0, bytes: 0 });
    host.requests++;
    host.bytes += attempt.bytes;
    countLatency(this.latencyCounts, attempt.latencyMs);
    this.maxLatency = Math.max(this.maxLatency, attempt.latencyMs);
  }

  /**
   * Adds the rate limiter's view of each host to the host counters: its current and maximum
   * rate (two decimals), the 429/503 responses seen and the time blocked by `Retry-After`.
   */
  recordHostRates(rates: readonly HostRate[]): void {
    for (const { host, rate, maxRate, throttled, blockedMs } of rates) {
      const entry = (this.hosts[host] ??= { requests: 0, bytes: 0 });
      entry.rate = round(rate);
      if (maxRate !== undefined) entry.maxRate = round(maxRate);
      entry.throttled = throttled;
      if (blockedMs !== undefined) entry.blockedMs = Math.round(blockedMs);
    }
  }

  /**
   * Takes the fetcher's count of each proxy (of this session), over those of earlier sessions. A
   * proxy retired in an earlier session is live again in a new one: it is retired only if it is now.
   */
  recordProxies(proxies: readonly ProxyStats[]): void {
    if (proxies.length === 0) return;
    this.proxies = structuredClone(this.proxiesBefore);
    for (const { proxy, requests, failures, retired } of proxies) {
      const before = this.proxiesBefore[proxy];
      const merged = { ...before?.failures };
      for (const [reason, count] of Object.entries(failures)) merged[reason] = (merged[reason] ?? 0) + count;
      this.proxies[proxy] = {
        requests: (before?.requests ?? 0) + requests,
        failures: merged,
        ...(retired !== undefined && { retired }),
      };
    }
  }

  snapshot(pagesDone: number, runningSeconds: number): RunStatsSnapshot {
    return {
      requests: this.requests,
      bytes: this.bytes,
      retries: this.retries,
      ...(this.notModified > 0 && { notModified: this.notModified }),
      statusCodes: { ...this.statusCodes },
      reasons: { ...this.reasons },
      latencyMs: latencyFigures(this.latencyCounts, this.maxLatency),
      latencyCounts: { ...this.latencyCounts },
      pagesPerSecond: runningSeconds > 0 ? round(pagesDone / runningSeconds) : 0,
      runningSeconds: round(runningSeconds),
      hosts: structuredClone(this.hosts),
      ...(this.proxies && { proxies: structuredClone(this.proxies) }),
    };
  }
}

/**
 * A run's statistics with its workers' shares added (several machines, issue 17): counts summed,
 * per host, status, proxy (a proxy is shown retired when a process retired it) and latency
 * bucket, the percentiles read from them all; pace, running time and per-host rates stay the
 * coordinator's (its pace counts every process's pages; each process paces itself).
 */
export function withShares(
  own: RunStatsSnapshot,
  shares: readonly Partial<RunStatsSnapshot>[],
): RunStatsSnapshot {
  const merged = structuredClone(own);
  for (const share of shares) {
    merged.requests += share.requests ?? 0;
    merged.bytes += share.bytes ?? 0;
    merged.retries += share.retries ?? 0;
    if (share.notModified) merged.notModified = (merged.notModified ?? 0) + share.notModified;
    for (const [code, count] of Object.entries(share.statusCodes ?? {}))
      bump(merged.statusCodes, code, count);
    for (const [reason, count] of Object.entries(share.reasons ?? {})) bump(merged.reasons, reason, count);
    for (const [host, counts] of Object.entries(share.hosts ?? {})) {
      const entry = (merged.hosts[host] ??= { requests: 0, bytes: 0 });
      entry.requests += counts.requests;
      entry.bytes += counts.bytes;
    }
    merged.latencyMs.max = Math.max(merged.latencyMs.max, share.latencyMs?.max ?? 0);
    addLatencyCounts((merged.latencyCounts ??= {}), share.latencyCounts ?? {});
    for (const [proxy, counts] of Object.entries(share.proxies ?? {}))
      addProxy((merged.proxies ??= {}), proxy, counts);
  }
  if (merged.latencyCounts) merged.latencyMs = latencyFigures(merged.latencyCounts, merged.latencyMs.max);
  return merged;
}

function latencyFigures(counts: LatencyCounts, max: number): RunStatsSnapshot["latencyMs"] {
  const [p50 = 0, p95 = 0] = latencyPercentiles(counts, [0.5, 0.95]);
  return { p50, p95, max };
}

function addProxy(proxies: Record<string, ProxyStatsSnapshot>, proxy: string, add: ProxyStatsSnapshot): void {
  const entry = (proxies[proxy] ??= { requests: 0, failures: {} });
  entry.requests += add.requests;
  for (const [reason, count] of Object.entries(add.failures)) bump(entry.failures, reason, count);
  if (add.retired !== undefined) entry.retired ??= add.retired;
}

function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
