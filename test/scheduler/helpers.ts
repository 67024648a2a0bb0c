/** Shared set-up of the scheduler tests: a data directory, a tiny site and its scraper, a manual clock. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { App } from "../../src/app/index.ts";
import { ManualClock } from "../../src/core/clock.ts";
import {
  newSchedule,
  timingFromFlags,
  type PolicyFlags,
  type Scheduler,
  type TimingFlags,
} from "../../src/scheduler/index.ts";
import type { ScheduleRecord } from "../../src/store/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

/** 2026-06-01T12:00:00Z, a Monday. */
export const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
export const MINUTE = 60_000;

export interface World {
  dir: string;
  app: App;
  clock: ManualClock;
  site: FaultSite;
  /** A scraper of one page on `site`; its run takes as long as `/slow` is held. */
  scraperFile: string;
  /** Lets held `/slow` requests answer. */
  release(): void;
  schedule(timing: TimingFlags, policy?: PolicyFlags, file?: string): Promise<ScheduleRecord>;
  scheduler(owner?: string): Scheduler;
  logs: string[];
}

const worlds: World[] = [];

afterEach(async () => {
  for (const world of worlds.splice(0)) {
    world.release();
    await world.app.close();
    await world.site.close();
    rmSync(world.dir, { recursive: true, force: true });
  }
});

/** Sets up a world; `hold` makes `/slow` wait until `release()`. */
export async function world(options: { hold?: boolean } = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "trawl-scheduler-"));
  let held: (() => void)[] = [];
  let holding = options.hold ?? false;
  const site = await startFaultSite({
    routes: {
      "/slow": (_req, res) => {
        const answer = () => res.writeHead(200, { "content-type": "text/html" }).end("<h1>Done</h1>");
        if (holding) held.push(answer);
        else answer();
      },
    },
  });
  const scraperFile = join(dir, "tiny.yaml");
  writeFileSync(
    scraperFile,
    [
      "name: tiny",
      `targets: [{ name: one, start: "${site.url}/slow" }]`,
      "pages:",
      "  page:",
      "    record: { title: h1 }",
      "politeness: { robots: ignore, rate_per_host: 1000 }",
      "",
    ].join("\n"),
  );
  const app = await App.open({ home: join(dir, "home") });
  const clock = new ManualClock(T0);
  const logs: string[] = [];
  const w: World = {
    dir,
    app,
    clock,
    site,
    scraperFile,
    logs,
    release() {
      holding = false;
      for (const answer of held) answer();
      held = [];
    },
    async schedule(timing, policy = {}, file = scraperFile) {
      const definition = newSchedule(
        { name: "tiny", source: file },
        timingFromFlags({ tz: "UTC", ...timing }, clock.now()),
        policy,
        clock.now(),
      );
      return app.store.schedules.create(definition, clock.now());
    },
    scheduler(owner = "test-host:1:a") {
      return app.scheduler({ clock, owner, log: (level, message) => logs.push(`${level}: ${message}`) });
    },
  };
  worlds.push(w);
  return w;
}
