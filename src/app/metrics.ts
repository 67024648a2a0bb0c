/** The metrics of a process that runs this app's engine (`trawl serve`, `trawl scheduler`, `trawl worker`). */
import { ACTIVE_RUN_STATUSES } from "../core/contract/values.ts";
import { TrawlMetrics, type HostRateSample } from "../observe/index.ts";
import type { App } from "./app.ts";

/** Metrics counting the engine's events and reading the store; the scheduler's events are for the caller to pass on. */
export interface AppMetrics {
  metrics: TrawlMetrics;
  /** Stops counting the engine's events and timing commits. */
  close(): void;
}

/** Opens the metrics of `app`'s engine, store and rate limiters (docs/metrics.md). */
export function openAppMetrics(app: App): AppMetrics {
  const metrics = new TrawlMetrics({
    store: app.store,
    hostRates: () => hostRatesOf(app),
    governor: () => app.engine.governor.state(),
    now: () => app.clock.now(),
  });
  const unsubscribe = app.engine.bus.subscribe(metrics.observe);
  return {
    metrics,
    close() {
      unsubscribe();
      metrics.close();
    },
  };
}

/**
 * The rate limiters of the runs this process executes, and of its shares of other processes'
 * runs (`trawl worker`): one sample per host and run.
 */
async function hostRatesOf(app: App): Promise<HostRateSample[]> {
  const runs = await app.store.runs.list({ statuses: [...ACTIVE_RUN_STATUSES] });
  const samples: HostRateSample[] = [];
  for (const run of runs) {
    const hosts = app.engine.session(run.id)?.statsSnapshot().hosts ?? {};
    for (const [host, { rate }] of Object.entries(hosts))
      if (rate !== undefined) samples.push({ host, rate });
  }
  for (const share of app.engine.sharing().values())
    for (const { host, rate } of share.hostRates()) samples.push({ host, rate });
  return samples;
}
