/**
 * POST start requests against the fault site: a search form POSTed with two queries (and one of
 * them twice) and a JSON API POSTed a query, each crawled to the exact records. The queue keeps a
 * request per URL and body: the repeated query is one request, the GET of the same URL another,
 * a run stopped mid-crawl and resumed POSTs no query twice, and its recording replays each POST
 * with the page its own body got.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { replayRun } from "../../src/app/index.ts";
import { writeHar, type HarEntry } from "../../src/replay/har-export.ts";
import { openRecording } from "../../src/replay/read-captures.ts";
import { XPATH_PRODUCTS } from "../fixtures/data-routes.ts";
import { useSiteApp } from "./site-app.ts";

/** Requests to /search and /api/search: method and body, in arrival order. */
const received: string[] = [];

const matching = (q: string) => XPATH_PRODUCTS.filter((p) => p.name.toLowerCase().includes(q.toLowerCase()));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function reply(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** A search form: GET shows it, POST (q=…) lists the products whose name has q, slowly. */
async function search(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  received.push(`${req.method} ${body}`);
  if (req.method !== "POST") return reply(res, "text/html", `<form method="post"><input name="q"></form>`);
  const hits = matching(new URLSearchParams(body).get("q") ?? "");
  const links = hits.map((p) => `<a class="hit" href="/xpath/item/${p.id}">${p.name}</a>`).join("");
  setTimeout(() => reply(res, "text/html", `<html><body>${links}</body></html>`), 100);
}

/** A JSON API: POST {"q": …} answers {"hits": [{ "id", "name" }]}. */
async function apiSearch(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  received.push(`${req.method} ${body}`);
  const { q } = JSON.parse(body) as { q: string };
  reply(res, "application/json", JSON.stringify({ hits: matching(q).map(({ id, name }) => ({ id, name })) }));
}

const t = useSiteApp("trawl-post-", {
  routes: {
    "/search": (req, res) => void search(req, res),
    "/api/search": (req, res) => void apiSearch(req, res),
  },
});

async function recordsOf(runId: string): Promise<Record<string, unknown>[]> {
  return (await t.records(runId)).sort((a, b) => (a.id as number) - (b.id as number));
}

const SEARCH_FORM = `name: search-form
start:
  - { url: SITE/search, method: POST, form: { q: lantern } }
  - { url: SITE/search, method: POST, form: { q: ro } }
  - { url: SITE/search, method: POST, form: { q: lantern } }
  - SITE/search
pages:
  results:
    follow:
      - { css: a.hit, page: item }
  item:
    record:
      id: { from: url, regex: "/item/(\\\\d+)", type: integer }
      name: h1
politeness: { rate_per_host: 1000, robots: ignore, concurrency: 1 }
`;

describe("POST start requests", () => {
  it("POST a search form per query, once each even across a stop and a resume, to the exact records", async () => {
    const scraper = await t.scraper("search-form", SEARCH_FORM);
    const created = await t.app.engine.create(scraper, { record: true });
    // Stop as soon as the first request is done: the others are not all fetched yet.
    const stopped = new Promise<void>((resolve) => {
      const unsubscribe = t.app.engine.bus.subscribe((event) => {
        if (event.type !== "request.finished" || event.runId !== created.id) return;
        unsubscribe();
        void t.app.engine.stop(created.id).then(() => resolve());
      });
    });
    const first = t.app.engine.execute(created.id, scraper);
    await stopped;
    expect((await first).status).toBe("paused");
    const resumed = await t.app.engine.execute(created.id, scraper);
    expect(resumed.status).toBe("succeeded");
    expect(await recordsOf(created.id)).toEqual(
      [...matching("lantern"), ...matching("ro")].map(({ id, name }) => ({ id, name })),
    );
    expect(received.filter((r) => r.startsWith("POST ")).sort()).toEqual(["POST q=lantern", "POST q=ro"]);
    expect(received.filter((r) => r.startsWith("GET "))).toEqual(["GET "]);

    // Offline, each POST gets the page its own body got, and the GET its own.
    const replay = await replayRun(t.app, created.id);
    expect(replay).toMatchObject({ identical: true, missing: [], counts: { recorded: 2, replayed: 2 } });

    // The HAR export shows the POSTs as POSTs, with their bodies.
    let har = "";
    const out = new PassThrough().on("data", (chunk: Buffer) => (har += chunk.toString()));
    await writeHar(await openRecording(t.app.store, t.app.paths.blobs, created.id), out);
    const entries = (JSON.parse(har) as { log: { entries: HarEntry[] } }).log.entries;
    const searches = entries.filter((e) => e.request.url === `${t.site.url}/search`).map((e) => e.request);
    expect(searches.map((r) => [r.method, r.postData?.text ?? null]).sort()).toEqual([
      ["GET", null],
      ["POST", "q=lantern"],
      ["POST", "q=ro"],
    ]);
    expect(searches.find((r) => r.method === "POST")?.postData?.mimeType).toBe(
      "application/x-www-form-urlencoded",
    );
  });

  it("POST a JSON document to an API read by JSONPath", async () => {
    received.length = 0;
    const scraper = await t.scraper(
      "search-api",
      `name: search-api
start: { url: SITE/api/search, method: POST, json: { q: o } }
pages:
  hits:
    format: json
    records:
      each: { json: "$.hits[*]" }
      fields:
        id: { json: "$.id", type: integer }
        name: { json: "$.name" }
politeness: { rate_per_host: 1000, robots: ignore }
`,
    );
    const run = await t.app.engine.run(scraper);
    expect(run.status).toBe("succeeded");
    expect(await recordsOf(run.id)).toEqual(matching("o").map(({ id, name }) => ({ id, name })));
    expect(received).toEqual(['POST {"q":"o"}']);
  });

  it("are definition errors in the browser, or with both a form and a JSON body", async () => {
    const both = `name: both
start: { url: SITE/search, method: POST, form: { q: a }, json: { q: a } }
pages: { results: { record: { t: h1 } } }
`;
    await expect(t.scraper("both", both)).rejects.toThrow(
      /start\.json: a POST sends "form" or "json", not both/,
    );
    const browser = `name: in-browser
targets:
  - name: t
    start: [SITE/search, { url: SITE/search, method: POST }]
engine: browser
pages: { results: { record: { t: h1 } } }
`;
    await expect(t.scraper("in-browser", browser)).rejects.toThrow(
      /targets\.0\.start\.1: a POST start request is fetched over HTTP, but the start page type "results" uses the browser/,
    );
  });
});
