/**
 * The fleet, live on the event stream: processes on other machines report to the database, not
 * to this server's bus, so the server reads the fleet every second and publishes
 * `fleet.updated` when it changed (a heartbeat's time alone is not a change, a report going
 * stale is), and every 5 s anyway (for the heartbeats' times). The Workers page and a run's workers panel follow these events instead of polling.
 */
import { listFleet } from "../app/index.ts";
import type { App } from "../app/index.ts";
import type { Fleet } from "../core/contract/workers.ts";
import type { LogLevel, TrawlEvent } from "../core/index.ts";
import { describeError } from "../core/index.ts";

/** How often the fleet is read. */
const WATCH_MS = 1000;
/** A fleet that did not change is published again this often (its heartbeats' times). */
const REFRESH_MS = 5000;

/** What of a fleet the page shows, heartbeat times left out (they change every second). */
function shownOf(fleet: Fleet): string {
  return JSON.stringify(fleet.workers.map(({ heartbeatAt: _heartbeat, ...shown }) => shown));
}

export class FleetWatcher {
  private timer: NodeJS.Timeout | undefined;
  private shown = "";
  private publishedAt = 0;
  private failed = false;

  constructor(
    private readonly app: App,
    private readonly publish: (event: TrawlEvent) => void,
    private readonly log: (level: LogLevel, message: string) => void,
    private readonly intervalMs = WATCH_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.look(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reads the fleet; publishes it when what the page shows changed. */
  async look(): Promise<void> {
    try {
      const fleet = await listFleet(this.app.store, this.app.clock.now());
      this.failed = false;
      const shown = shownOf(fleet);
      const now = this.app.clock.now();
      if (shown === this.shown && now - this.publishedAt < REFRESH_MS) return;
      this.shown = shown;
      this.publishedAt = now;
      this.publish({ type: "fleet.updated", fleet });
    } catch (error) {
      if (!this.failed) this.log("warn", `could not read the fleet: ${describeError(error)}`);
      this.failed = true;
    }
  }
}
