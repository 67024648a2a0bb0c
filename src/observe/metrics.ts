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
import { registerGovernorMetrics, type GovernorReading } from "./governor-metrics.ts";
import { registerHostRates, type HostRateSample } from "./host-rates.ts";
import { registerStoreMetrics } from "./store-metrics.ts";

export interface MetricsOptions {
  /** Runs and queues are read from it at each scrape; its write transactions are timed. */
  store: Store;
  /** The rate limiters of the runs this process executes, read at each scrape. @defaultValue none */
  hostRates?: () => Promise<readonly HostRateSample[]>;
  /** The engine's resource governor, read at each scrape. @defaultValue none */
  governor?: () => GovernorReading;
  /** The scheduler's lateness is measured against it. @defaultValue Date.now */
  now?: () => number;
  /** Add prom-client's process metrics (memory, event-loop lag, handles, CPU). @defaultValue true */
  processMetrics?: boolean;
}

let sharedProcessRegistry: Registry | undefined;

/**
 * prom-client's process metrics, once per process however many servers it runs (tests run
 * several): each set watches the event loop and the garbage collector for good, never stopped.
 */
function processRegistry(): Registry {
  if (!sharedProcessRegistry) {
    sharedProcessRegistry = new Registry();
    collectDefaultMetrics({ register: sharedProcessRegistry });
  }
  return sharedProcessRegistry;
}

/**
 * One registry of metrics (never prom-client's global one: tests run several servers in one
 * process). Feed it events with {@link TrawlMetrics.observe}; {@link TrawlMetrics.render} gives the
 * text to serve; {@link TrawlMetrics.close} stops timing commits.
 */
export class TrawlMetrics {
  /** This instance's own metrics (the process's are shared: see `render`). */
  readonly registry = new Registry();
  private readonly events: EventMetrics;
  private readonly stopCommits: () => void;
  private readonly processMetrics: boolean;

  constructor(options: MetricsOptions) {
    this.processMetrics = options.processMetrics ?? true;
    // Started now, so the first scrape's event-loop figures cover the time since.
    if (this.processMetrics) processRegistry();
    this.events = new EventMetrics(this.registry, options.now ?? Date.now);
    this.stopCommits = registerStoreMetrics(this.registry, options.store);
    if (options.hostRates) registerHostRates(this.registry, options.hostRates);
    if (options.governor) registerGovernorMetrics(this.registry, options.governor);
  }

  /** Counts one event (a listener for the event bus: it never throws). */
  readonly observe = (event: TrawlEvent): void => {
    this.events.observe(event);
  };

  /** The `Content-Type` of {@link TrawlMetrics.render}'s text (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text format: the process's, then this registry's. */
  async render(): Promise<string> {
    const own = await this.registry.metrics();
    if (!this.processMetrics) return own;
    const process = await processRegistry().metrics();
    return process.endsWith("\n") ? process + own : `${process}\n${own}`;
  }

  /** Stops timing the store's commits (the counters stay readable). */
  close(): void {
    this.stopCommits();
  }
}
