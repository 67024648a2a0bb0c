import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serve, until } from "./helpers.ts";

/** Writes a scraper of three `/slow?n=…` pages whose titles come from the site, with a dedupe by key. */
function datasetScraper(dir: string, url: string, name = "keyed.yaml"): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    [
      "name: keyed",
      "targets:",
      ...[0, 1, 2].map((n) => `  - { name: t${n}, start: "${url}/slow?n=${n}" }`),
      "pages:",
      "  page:",
      "    record: { title: h1, key: .k }",
      "politeness: { robots: ignore, rate_per_host: 1000 }",
      "steps:",
      "  - dedupe: { key: key }",
      "  - export: { dataset: keyed }",
      "",
    ].join("\n"),
  );
  return file;
}

async function runToEnd(f: Awaited<ReturnType<typeof serve>>, file: string): Promise<string> {
  const id = (await f.api("POST", "/api/runs", { file })).json.id as string;
  await until(async () => (await f.api("GET", `/api/runs/${id}`)).json.status === "succeeded", "the run");
  return id;
}

describe("datasets, compare and scrapers", () => {
  it("lists dataset versions with manifests, verifies them and downloads each format", async () => {
    const f = await serve();
    await runToEnd(f, datasetScraper(f.dir, f.site.url));
    const { datasets } = (await f.api("GET", "/api/datasets")).json;
    expect(datasets).toEqual([
      expect.objectContaining({
        name: "keyed",
        latest: 1,
        versions: [
          expect.objectContaining({
            version: 1,
            records: 3,
            files: expect.arrayContaining([expect.objectContaining({ name: "records.jsonl" })]),
          }),
        ],
      }),
    ]);
    expect((await f.api("POST", "/api/datasets/keyed/verify")).json).toMatchObject({
      ok: true,
      problems: [],
    });
    const csv = await f.api("GET", "/api/datasets/keyed/versions/1/download?format=csv");
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="keyed-v1.csv"');
    expect(String(csv.json).trim().split("\n")).toHaveLength(4);
    expect((await f.api("GET", "/api/datasets/keyed/versions/9/download")).status).toBe(404);
    expect((await f.api("GET", "/api/datasets/keyed/versions/1/download?format=xml")).status).toBe(400);
  });

  it("compares two runs by the dedupe key: added, removed and changed records with field changes", async () => {
    const f = await serve();
    const file = datasetScraper(f.dir, f.site.url);
    const first = await runToEnd(f, file);
    // The next run sees a new title for n=1, no n=2 any more, and a new n=3.
    writeFileSync(file, (await import("node:fs")).readFileSync(file, "utf8").replace("slow?n=2", "slow?n=3"));
    f.retitle(1, "Item 1, second edition");
    const second = await runToEnd(f, file);
    const comparison = (await f.api("GET", `/api/compare?a=${first}&b=${second}`)).json;
    expect(comparison.key).toEqual(["key"]);
    expect(comparison.records.added).toEqual([{ title: "Item 3", key: "3" }]);
    expect(comparison.records.removed).toEqual([{ title: "Item 2", key: "2" }]);
    expect(comparison.records.changed).toEqual([
      {
        key: "1",
        position: 1,
        record: { title: "Item 1, second edition", key: "1" },
        fields: [{ field: "title", change: "changed", a: "Item 1", b: "Item 1, second edition" }],
      },
    ]);
    expect(comparison.records).toMatchObject({ unchanged: 1, counts: { added: 1, removed: 1, changed: 1 } });

    const byTitle = (await f.api("GET", `/api/compare?a=${first}&b=${second}&key=title`)).json;
    expect(byTitle.key).toEqual(["title"]);
    const changes = (await f.api("GET", `/api/runs/${second}/changes`)).json;
    expect(changes.previous).toBe(first);
    expect(changes.comparison.records.counts).toEqual({ added: 1, removed: 1, changed: 1 });
    expect((await f.api("GET", `/api/runs/${first}/changes`)).json).toEqual({
      run: first,
      comparable: false,
      reason: "no earlier succeeded run of keyed: nothing to compare with",
      previous: null,
      comparison: null,
    });
  });

  it("lists the scrapers of the scraper folders with their problems, and shows only those definitions", async () => {
    const scrapers = join(process.cwd(), "test-artifacts", `scrapers-${process.pid}-${Date.now()}`);
    mkdirSync(scrapers, { recursive: true });
    const f = await serve({ scraperFolders: [scrapers] });
    datasetScraper(scrapers, f.site.url, "good.yaml");
    writeFileSync(
      join(scrapers, "broken.yaml"),
      "name: broken\ntargets: []\npages:\n  page:\n    record: { title: 12 }\n",
    );
    writeFileSync(join(scrapers, "notes.yaml"), "just: some yaml\n");
    // One target given as `start:` is a scraper too.
    writeFileSync(
      join(scrapers, "single.yaml"),
      "name: single\nstart: http://127.0.0.1:9/\npages:\n  page:\n    record: { title: h1 }\n",
    );
    const { scrapers: found } = (await f.api("GET", "/api/scrapers")).json;
    expect(found.map((s: { file: string }) => s.file.split("/").pop())).toEqual([
      "broken.yaml",
      "good.yaml",
      "single.yaml",
    ]);
    expect(found[2]).toMatchObject({ name: "single", valid: true, targets: ["single"] });
    expect(found[1]).toMatchObject({ name: "keyed", valid: true, targets: ["t0", "t1", "t2"] });
    expect(found[1].steps.map((s: { name: string }) => s.name)).toEqual(["crawl", "dedupe", "export"]);
    expect(found[0]).toMatchObject({ valid: false, name: "broken.yaml" });
    expect(found[0].problems[0]).toMatchObject({ line: expect.any(Number), message: expect.any(String) });

    const shown = (
      await f.api("GET", `/api/scrapers/definition?file=${encodeURIComponent(join(scrapers, "good.yaml"))}`)
    ).json;
    expect(shown).toMatchObject({ valid: true, name: "keyed", text: expect.stringContaining("name: keyed") });
    const outside = await f.api("GET", `/api/scrapers/definition?file=${encodeURIComponent("/etc/passwd")}`);
    expect(outside.status).toBe(404);
  });

  it("serves the web app's index.html for its own routes and keeps unknown /api paths 404", async () => {
    const ui = join(process.cwd(), "test-artifacts", `ui-${process.pid}-${Date.now()}`);
    mkdirSync(join(ui, "assets"), { recursive: true });
    writeFileSync(join(ui, "index.html"), "<!doctype html><title>trawl</title><div id=root></div>");
    writeFileSync(join(ui, "assets", "app.js"), "console.log('app')");
    const f = await serve({ uiDir: ui });
    for (const path of ["/", "/runs/RUN-20260101-000000", "/schedules"]) {
      const page = await f.api("GET", path);
      expect(page.status, path).toBe(200);
      expect(String(page.json)).toContain("<title>trawl</title>");
    }
    expect(String((await f.api("GET", "/assets/app.js")).json)).toContain("console.log");
    expect((await f.api("GET", "/api/not-a-route")).json).toMatchObject({ code: "TRAWL_ERR_HTTP_NOT_FOUND" });
  });
});
