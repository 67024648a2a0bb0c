/**
 * Datasets and recordings on every machine (issue 17, item 6): two data directories ("machines")
 * on one PostgreSQL database. A dataset version published by one is listed, verified and exported
 * by the other, which copies it into its own datasets folder; the other replays the first's
 * recorded run from the blobs in the database; and a version the second publishes is the next
 * number, seen by the first.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";
import { freshDatabase, type TestDatabase } from "../fixtures/postgres.ts";
import { makeWorkDir, parseJson, runCli, writeText } from "./run-cli.ts";

let site: FaultSite;
let database: TestDatabase;

beforeAll(async () => {
  site = await startFaultSite({
    routes: {
      "/list": (_req, res) =>
        void res
          .writeHead(200, { "content-type": "text/html" })
          .end(Array.from({ length: 6 }, (_, i) => `<a class="item" href="/item?i=${i}">${i}</a>`).join("")),
      "/item": (req, res) =>
        void res
          .writeHead(200, { "content-type": "text/html" })
          .end(
            `<h1>Item ${new URL(req.url!, "http://x").searchParams.get("i")}</h1><p class="price">4.5</p>`,
          ),
    },
  });
  database = await freshDatabase("datasets");
});

afterAll(async () => {
  await site?.close();
  await database?.drop();
});

interface Summary {
  id: string;
  status: string;
  records: number;
}

interface Listing {
  datasets: {
    name: string;
    current: number;
    versions: { version: number; runId: string; records: number }[];
  }[];
}

/** The scraper both machines run: six items, published as dataset shared-items. */
function definition(dir: string): Promise<string> {
  return writeText(
    dir,
    "items.yaml",
    `name: items
start: ${site.url}/list
politeness: { robots: ignore, rate_per_host: 100 }
pages:
  list:
    follow: [{ css: a.item, page: item }]
  item:
    record: { title: h1, price: { css: .price, type: number }, url: { from: url } }
steps:
  - export: { dataset: shared-items, formats: [jsonl, csv] }
`,
  );
}

describe("datasets and recordings on a PostgreSQL store", () => {
  it("are read, verified, exported and replayed from another data directory", async () => {
    const first = await makeWorkDir();
    const second = await makeWorkDir();
    const env = { TRAWL_DATABASE_URL: database.url };
    const file = await definition(first.dir);
    const run = parseJson<Summary>(
      await runCli(["run", file, "--json", "--record"], { home: first.home, env }),
    );
    expect(run).toMatchObject({ status: "succeeded", records: 6 });

    // The second machine lists the version the first published, verifies and exports it.
    const listed = parseJson<Listing>(await runCli(["datasets", "--json"], { home: second.home, env }));
    expect(listed.datasets).toMatchObject([
      { name: "shared-items", current: 1, versions: [{ version: 1, runId: run.id, records: 6 }] },
    ]);
    const verified = await runCli(["datasets", "verify", "shared-items", "--json"], {
      home: second.home,
      env,
    });
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toEqual({ name: "shared-items", version: 1, ok: true, problems: [] });
    expect((await readdir(join(second.home, "datasets", "shared-items"))).sort()).toContain("v000001");
    const exported = await runCli(["export", "shared-items", "--format", "csv"], { home: second.home, env });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.split("\n")).toHaveLength(8); // header, 6 rows, final newline
    const published = join(first.home, "datasets", "shared-items", "v000001", "records.csv");
    expect(exported.stdout).toBe(await readFile(published, "utf8"));

    // The recording's bodies come from the database: the replay fetches nothing from the site.
    expect(existsSync(join(second.home, "blobs"))).toBe(false);
    const hits = site.log().length;
    const replay = await runCli(["replay", run.id, "--json"], { home: second.home, env });
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ status: "succeeded", identical: true });
    expect(site.log().length).toBe(hits);
    expect(existsSync(join(second.home, "blobs"))).toBe(true);

    // A version published on the second machine is the next number, and the first sees it.
    const again = parseJson<Summary>(await runCli(["run", file, "--json"], { home: second.home, env }));
    expect(again.status).toBe("succeeded");
    const seen = parseJson<Listing>(await runCli(["datasets", "--json"], { home: first.home, env }));
    expect(seen.datasets[0]).toMatchObject({
      current: 2,
      versions: [{ version: 1 }, { version: 2, runId: again.id }],
    });
    // A run the second starts from that version replays on the first, which reads it from the database.
    const details = await writeText(
      second.dir,
      "details.yaml",
      `name: details
start: { dataset: shared-items, field: url }
politeness: { robots: ignore, rate_per_host: 100 }
pages:
  item:
    record: { title: h1 }
`,
    );
    const chained = parseJson<Summary>(
      await runCli(["run", details, "--json", "--record"], { home: second.home, env }),
    );
    expect(chained).toMatchObject({ status: "succeeded", records: 6 });
    const replayed = await runCli(["replay", chained.id, "--json"], { home: first.home, env });
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(JSON.parse(replayed.stdout)).toMatchObject({ status: "succeeded", identical: true });
  }, 120_000);

  it("are moved in from a SQLite data directory by trawl db copy, for every machine, those left by --files-only", async () => {
    const sqlite = await makeWorkDir();
    const other = await makeWorkDir();
    const target = await freshDatabase("copy_files");
    try {
      const file = await definition(sqlite.dir);
      const run = parseJson<Summary>(
        await runCli(["run", file, "--json", "--record"], { home: sqlite.home }),
      );
      expect(run.status).toBe("succeeded");
      // A version that does not verify stays behind (exit 1); once mended, --files-only takes it in.
      const records = join(sqlite.home, "datasets", "shared-items", "v000001", "records.jsonl");
      const intact = await readFile(records, "utf8");
      await writeFile(records, `${intact}{"title":"planted"}\n`);
      const copied = await runCli(["db", "copy", "--to", target.url], {
        home: sqlite.home,
        timeoutMs: 60_000,
      });
      expect(copied.code, copied.stderr).toBe(1);
      expect(copied.stdout).toMatch(
        /^files: 0 dataset versions and [1-9]\d* recorded blobs copied \(0 there already\)$/m,
      );
      expect(copied.stdout).toMatch(/^not copied, does not verify: shared-items v1/m);
      await writeFile(records, intact);
      const again = await runCli(["db", "copy", "--to", target.url], { home: sqlite.home });
      expect(again.code).toBe(2);
      expect(again.stderr).toContain("trawl db copy --files-only");
      const rest = await runCli(["db", "copy", "--to", target.url, "--files-only", "--json"], {
        home: sqlite.home,
      });
      expect(rest.code, rest.stderr).toBe(0);
      const { files } = JSON.parse(rest.stdout) as {
        files: { datasets: { copied: number }; blobs: { copied: number; present: number } };
      };
      expect(files.datasets.copied).toBe(1);
      expect(files.blobs).toMatchObject({ copied: 0, present: expect.any(Number) });
      expect(files.blobs.present).toBeGreaterThan(0);

      const env = { TRAWL_DATABASE_URL: target.url };
      const listed = parseJson<Listing>(await runCli(["datasets", "--json"], { home: other.home, env }));
      expect(listed.datasets).toMatchObject([
        { name: "shared-items", current: 1, versions: [{ runId: run.id }] },
      ]);
      const verified = await runCli(["datasets", "verify", "shared-items"], { home: other.home, env });
      expect(verified.stdout).toBe("shared-items v1: ok\n");
      const replay = await runCli(["replay", run.id, "--json"], { home: other.home, env });
      expect(replay.code, replay.stderr).toBe(0);
      expect(JSON.parse(replay.stdout)).toMatchObject({ status: "succeeded", identical: true });
    } finally {
      await target.drop();
    }
  }, 120_000);
});
