/**
 * Start URLs from data, against the fixture site: a CSV file of product URLs crawled to the exact
 * records; a scraper that starts from the dataset another one published, from the version pinned
 * when its run was created even after a newer one appears; bad start data refused before a run
 * exists.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replayRun } from "../../src/app/index.ts";
import type { TrawlEvent } from "../../src/core/index.ts";
import { publishDataset } from "../../src/datasets/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { XPATH_PRODUCTS } from "../fixtures/data-routes.ts";
import { useSiteApp } from "./site-app.ts";

const t = useSiteApp("trawl-start-data-");
const write = t.write;

async function recordsOf(runId: string): Promise<Record<string, unknown>[]> {
  return (await t.records(runId)).sort((a, b) => (a.id as number) - (b.id as number));
}

/** A product page type: what every scraper here reads from `/xpath/item/<id>`. */
const ITEM_PAGE = `  item:
    record:
      id: { from: url, regex: "/item/(\\\\d+)", type: integer }
      name: h1
`;
const POLITE = "politeness: { rate_per_host: 1000, robots: ignore }\n";
const expected = (ids: number[]) =>
  XPATH_PRODUCTS.filter((p) => ids.includes(p.id)).map((p) => ({ id: p.id, name: p.name }));

describe("start: { file, column }", () => {
  it("crawls the URLs of a CSV column (quoted cells, other columns, CRLF) to the exact records", async () => {
    write(
      "products.csv",
      'name,url,note\r\nLantern,SITE/xpath/item/1,"oil, brass"\r\n\r\nOar,SITE/xpath/item/3,"said ""row"""\r\n',
    );
    write("more.txt", "# one URL a line\nSITE/xpath/item/2\n\n");
    const file = write(
      "from-csv.yaml",
      `name: from-csv
targets:
  - name: csv
    start: { file: products.csv, column: url }
  - name: text
    start: [{ file: more.txt }]
pages:
${ITEM_PAGE}${POLITE}`,
    );
    const run = await t.app.engine.run(await loadScraper(file));
    expect(run.status).toBe("succeeded");
    expect(await recordsOf(run.id)).toEqual(expected([1, 2, 3]));
    expect(run.options.startData?.files[join(t.dir, "products.csv")]).toMatch(/^[0-9a-f]{64}$/);
    const paths = t.site.log().map((hit) => hit.path);
    expect(paths.filter((path) => path.startsWith("/xpath/item/")).sort()).toEqual([
      "/xpath/item/1",
      "/xpath/item/2",
      "/xpath/item/3",
    ]);
  });
});

describe("a start file changed before a resume", () => {
  it("is read as it is now, and the run's log says it changed", async () => {
    write("changing.txt", "SITE/xpath/item/1\n");
    const scraper = await loadScraper(
      write("changing.yaml", `name: changing\nstart: { file: changing.txt }\npages:\n${ITEM_PAGE}${POLITE}`),
    );
    const created = await t.app.engine.create(scraper, { breakpoints: ["crawl"] });
    const paused = new Promise<void>((resolve) =>
      t.app.engine.bus.subscribe((event) => {
        if (event.type === "run.paused" && event.runId === created.id) resolve();
      }),
    );
    const first = t.app.engine.execute(created.id, scraper);
    await paused;
    await t.app.engine.stop(created.id);
    await first;
    write("changing.txt", "SITE/xpath/item/1\nSITE/xpath/item/3\n");
    expect((await t.app.engine.execute(created.id, scraper)).status).toBe("succeeded");
    expect(await recordsOf(created.id)).toEqual(expected([1, 3]));
    const warnings = (await t.app.store.logs.list(created.id)).filter((line) => line.level === "warn");
    expect(warnings.map((line) => line.message)).toContain(
      "start file changing.txt changed since this run started: the URLs it lists now are added to those already queued",
    );
  });
});

describe("start: { dataset, field }", () => {
  const LINKS = `name: links
start: SITE/xpath/list?page=1
pages:
  list:
    follow:
      - { css: "a[rel=next]", page: list }
    records:
      each: div.product
      fields:
        url: { css: a, attr: href, type: url }
        name: a
steps:
  - export: { dataset: product-links }
${POLITE}`;
  const FROM_DATASET = `name: from-dataset
start: { dataset: product-links, field: url }
pages:
${ITEM_PAGE}${POLITE}`;

  it("starts from the latest version another scraper published; a resume and a replay keep that version", async () => {
    const links = await t.app.engine.run(await loadScraper(write("links.yaml", LINKS)));
    expect(links).toMatchObject({ status: "succeeded", datasetName: "product-links", datasetVersion: 1 });

    const scraper = await loadScraper(write("from-dataset.yaml", FROM_DATASET));
    const created = await t.app.engine.create(scraper, { breakpoints: ["crawl"], record: true });
    expect(created.options.startData).toEqual({ datasets: { "product-links": 1 }, files: {} });
    const events: TrawlEvent[] = [];
    const paused = new Promise<void>((resolve) =>
      t.app.engine.bus.subscribe((event) => {
        events.push(event);
        if (event.type === "run.paused" && event.runId === created.id) resolve();
      }),
    );
    const first = t.app.engine.execute(created.id, scraper);
    await paused;
    await t.app.engine.stop(created.id);
    expect((await first).pauseReason).toBe("breakpoint:crawl");

    // A newer version, listing one product only, appears before the run resumes.
    const newer = await publishDataset({
      root: t.app.paths.datasets,
      name: "product-links",
      runId: "RUN-20260101-000000",
      scraper: "links",
      records: [{ url: `${t.site.url}/xpath/item/2`, name: "Rope" }],
    });
    expect(newer.version).toBe(2);

    const resumed = await t.app.engine.execute(created.id, scraper);
    expect(resumed.status).toBe("succeeded");
    expect(await recordsOf(created.id)).toEqual(expected([1, 2, 3]));
    const logs = await t.app.store.logs.list(created.id);
    expect(logs.map((line) => line.message)).toContain(
      "start URLs from dataset product-links (field url), version 1",
    );

    // Replayed offline, it reads the version the run read, as the recording has it.
    const replay = await replayRun(t.app, created.id);
    expect(replay).toMatchObject({ identical: true, missing: [], counts: { recorded: 3, replayed: 3 } });

    // A new run starts from the newer version.
    const next = await t.app.engine.run(scraper);
    expect(await recordsOf(next.id)).toEqual(expected([2]));
  });
});

describe("bad start data is refused before the run exists", () => {
  const cases: [string, string, Record<string, string>, RegExp][] = [
    [
      "a missing file",
      "{ file: nowhere.csv, column: url }",
      {},
      /start file nowhere\.csv not found \(looked for .*nowhere\.csv\)/,
    ],
    [
      "a missing column",
      "{ file: cols.csv, column: link }",
      { "cols.csv": "name,url\nLantern,SITE/xpath/item/1\n" },
      /start file cols\.csv has no column "link" \(its columns: name, url\)/,
    ],
    [
      "a value that is not an http(s) URL",
      "{ file: rows.csv, column: url }",
      { "rows.csv": "url\nSITE/xpath/item/1\n\nftp://example.com/x\n" },
      /^rows\.csv:4: "ftp:\/\/example\.com\/x" is not an absolute http\(s\) URL$/,
    ],
    [
      "an unknown dataset",
      "{ dataset: no-such-data }",
      {},
      /start dataset no-such-data: no such dataset in .* \(datasets here: product-links\)/,
    ],
    [
      "an unknown field",
      "{ dataset: product-links, field: href }",
      {},
      /start dataset product-links: version 2 has no field "href" \(its fields: url, name\)/,
    ],
  ];
  it.each(cases)("%s", async (_what, start, files, message) => {
    for (const [name, text] of Object.entries(files)) write(name, text);
    const scraper = await loadScraper(write("bad.yaml", `name: bad\nstart: ${start}\npages:\n${ITEM_PAGE}`));
    const before = (await t.app.store.runs.list({ scraper: "bad" })).length;
    const error = await t.app.engine.create(scraper).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringMatching(message), exitCode: 2 });
    expect((await t.app.store.runs.list({ scraper: "bad" })).length).toBe(before);
  });
});
