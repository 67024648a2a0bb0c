/**
 * The set-up the crawl tests against the fixture site share: a temp folder, the fault site (with
 * the file's own routes), and an {@link App} on a data directory in the folder; opened in
 * `beforeAll`, closed in `afterAll`. A file calls {@link useSiteApp} once at its top and reads
 * `t.app`, `t.site`, `t.dir` inside its tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { App, loadScraper, type CompiledScraper } from "../../src/app/index.ts";
import { startFaultSite, type FaultSite, type FaultSiteOptions } from "../fixtures/fault-site.ts";

export interface SiteApp {
  dir: string;
  site: FaultSite;
  app: App;
  /** Writes a file of the folder, `SITE` standing for the site's URL; returns its path. */
  write(name: string, text: string): string;
  /** Writes `<name>.yaml` (as `write` does) and loads it. */
  scraper(name: string, yaml: string): Promise<CompiledScraper>;
  /** The records of a run's stage (default 0, the crawl's), from `app` (default this file's). */
  records(runId: string, stage?: number, app?: App): Promise<Record<string, unknown>[]>;
}

/** Registers the set-up and returns its handle, filled in once `beforeAll` has run. */
export function useSiteApp(prefix: string, options: FaultSiteOptions = {}): SiteApp {
  const t = {
    write(name: string, text: string): string {
      const file = join(t.dir, name);
      writeFileSync(file, text.replaceAll("SITE", t.site.url));
      return file;
    },
    scraper: (name: string, yaml: string) => loadScraper(t.write(`${name}.yaml`, yaml)),
    async records(runId: string, stage = 0, app: App = t.app): Promise<Record<string, unknown>[]> {
      const records: Record<string, unknown>[] = [];
      for await (const record of app.store.records.read(runId, stage))
        records.push(record as Record<string, unknown>);
      return records;
    },
  } as SiteApp;
  beforeAll(async () => {
    t.dir = mkdtempSync(join(tmpdir(), prefix));
    t.site = await startFaultSite(options);
    t.app = await App.open({ home: join(t.dir, "home") });
  });
  afterAll(async () => {
    await t.app?.close();
    await t.site?.close();
    rmSync(t.dir, { recursive: true, force: true });
  });
  return t;
}
