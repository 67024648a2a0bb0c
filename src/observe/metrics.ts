/**
 * The Prometheus metrics of one trawl process (`GET /metrics` of `trawl serve`, `trawl scheduler
 * --metrics-port`): events counted as they happen, the store's runs and queues read at each
 * scrape, the process's own figures (prom-client's default metrics: memory, event-loop lag, open
 * handles, CPU). docs/metrics.md lists every metric.
 */
import { collectDefaultMetrics, Registry } from "prom-client";
import type { TrawlEvent } from "../core/index.ts";
import type { Store } from "../store/index.ts";
import { EventMetrics } from "./event-metrics.ts";
import { registerHostRates, type HostRateSample } from "./host-rates.ts";
import { registerStoreMetrics } from "./store-metrics.ts";

export interface MetricsOptions {
  /** Runs and queues are read from it at each scrape; its write transactions are timed. */
  store: Store;
  /** The rate limiters of the runs this process executes, read at each scrape. @defaultValue none */
  hostRates?: () => Promise<readonly HostRateSample[]>;
  /** The scheduler's lateness is measured against it. @defaultValue Date.now */
  now?: () => number;
  /** Add prom-client's process metrics (memory, event-loop lag, handles, CPU). @defaultValue true */
  processMetrics?: boolean;
}

/**
 * One registry of metrics (never prom-client's global one: tests run several servers in one
 * process). Feed it events with {@link TrawlMetrics.observe}; {@link TrawlMetrics.render} gives the
 * text to serve; {@link TrawlMetrics.close} stops timing commits.
 */
export class TrawlMetrics {
  /** The registry, for tests and for adding a metric elsewhere. */
  readonly registry = new Registry();
  private readonly events: EventMetrics;
  private readonly stopCommits: () => void;

  constructor(options: MetricsOptions) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.events = new EventMetrics(this.registry, options.now ?? Date.now);
    this.stopCommits = registerStoreMetrics(this.registry, options.store);
    if (options.hostRates) registerHostRates(this.registry, options.hostRates);
  }

  /** Counts one event (a listener for the event bus: it never throws). */
  readonly observe = (event: TrawlEvent): void => {
    this.events.observe(event);
  };

  /** The `Content-Type` of {@link TrawlMetrics.render}'s text (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  close(): void {
    this.stopCommits();
  }
}
