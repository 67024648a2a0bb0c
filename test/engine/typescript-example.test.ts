import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, describeRun } from "../../src/app/index.ts";
import { readRecords } from "../../src/datasets/index.ts";
import { EXAMPLE_ORIGIN, startDemoSite, type DemoSite } from "../../src/demo/index.ts";
import { compileDefinition } from "../../src/pipeline/index.ts";
import bookshop from "../../examples/bookshop.ts";

let dir: string;
let site: DemoSite;
let app: App;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-ts-example-"));
  site = await startDemoSite({ port: 0 });
  app = await App.open({ home: dir });
});

afterAll(async () => {
  await app.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("examples/bookshop.ts", () => {
  it("runs with its parse hook and its code-registered step", async () => {
    const targets = bookshop.targets!.map((t) => ({
      ...t,
      start: String(t.start).replace(EXAMPLE_ORIGIN, site.url),
    }));
    const scraper = compileDefinition({ ...bookshop, targets }, { source: "examples/bookshop.ts" });
    const run = await app.engine.run(scraper);
    const summary = await describeRun(app.store, run);
    expect(summary).toMatchObject({
      status: "succeeded",
      records: 120,
      dataset: { name: "books-ts", version: 1 },
    });
    const first = (await readRecords(app.paths.datasets, "books-ts").next()).value;
    expect(first).toMatchObject({ sku: "HIS-00001", band: expect.stringMatching(/budget|standard|premium/) });
    expect(typeof first.price).toBe("number");
  });
});
