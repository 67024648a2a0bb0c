/**
 * POST links returned by a TypeScript `parse` hook, against the fault site: a hook returns a GET,
 * a form POST (twice) and a JSON POST of one URL; the run is stopped once the home page is done
 * (its links queued) and resumed, so the bodies come back from the queue. Each URL + body is
 * fetched once and POSTs what the hook gave, and the recording replays. A body without
 * `method: "POST"`, two bodies, or a POST to a browser page type fails the hook clearly.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { replayRun } from "../../src/app/index.ts";
import {
  compileDefinition,
  defineScraper,
  loadScraper,
  type ParseHookResult,
} from "../../src/pipeline/index.ts";
import { useSiteApp } from "./site-app.ts";

/** Requests to /ph/search: method, query and body, in arrival order. */
const received: string[] = [];

function reply(res: ServerResponse, body: string): void {
  res.writeHead(200, { "content-type": "text/html", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** The search: its heading is the method, query and body it got. */
async function search(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const query = new URL(req.url ?? "/", "http://x").search;
  const heading = `${req.method} ${query} ${Buffer.concat(chunks).toString("utf8")}`.trim();
  received.push(heading);
  reply(res, `<html><body><h1>${heading}</h1></body></html>`);
}

const t = useSiteApp("trawl-post-hook-", {
  routes: {
    "/ph/home": (_req, res) => reply(res, `<html><body><p>home</p></body></html>`),
    "/ph/search": (req, res) => void search(req, res),
  },
});

/** A TypeScript definition whose home page's hook returns a GET and POSTs of /ph/search. */
const HOOK_FILE = `export default {
  name: "post-hook",
  start: "SITE/ph/home",
  pages: {
    home: {
      parse: () => ({
        links: [
          { url: "search?q=1", page: "results" },
          { url: "search?q=1", page: "results", method: "POST", form: { q: "ro", n: 2 } },
          { url: "/ph/search?q=1", page: "results", method: "POST", form: { q: "ro", n: 2 } },
          { url: "search?q=1", page: "results", method: "POST", json: { tags: ["a"], q: "lantern" } },
          { url: "search?q=2", page: "results", method: "POST" },
        ],
      }),
    },
    results: { record: { heading: "h1" } },
  },
  politeness: { rate_per_host: 1000, robots: "ignore", concurrency: 1 },
};
`;

/** A scraper whose home page's hook returns `links`, each to a `results` page. */
function hookScraper(links: () => ParseHookResult, resultsEngine: "http" | "browser" = "http") {
  const definition = defineScraper({
    name: "post-hook",
    start: `${t.site.url}/ph/home`,
    pages: {
      home: { parse: links },
      results: { engine: resultsEngine, record: { heading: "h1" } },
    },
    politeness: { rate_per_host: 1000, robots: "ignore", concurrency: 1 },
  });
  return compileDefinition(definition, { source: "post-hook.ts" });
}

describe("POST links of a parse hook", () => {
  it("keep their bodies through the queue: each URL + body POSTed once, to the exact records", async () => {
    // A definition file, so that the recording's replay loads it too.
    const file = t.write("post-hook.ts", HOOK_FILE);
    const scraper = await loadScraper(file);
    const created = await t.app.engine.create(scraper, { record: true });
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
    expect(received).toEqual([]); // the POSTs wait in the queue, bodies and all
    const resumed = await t.app.engine.execute(created.id, scraper);
    expect(resumed.status).toBe("succeeded");

    const expected = [
      "GET ?q=1",
      "POST ?q=1 q=ro&n=2",
      'POST ?q=1 {"q":"lantern","tags":["a"]}',
      "POST ?q=2",
    ];
    expect([...received].sort()).toEqual([...expected].sort()); // none twice
    const records = (await t.records(created.id)).map((record) => record.heading as string);
    expect(records.sort()).toEqual([...expected].sort());
    // Offline, each POST gets the page its own body got.
    const replay = await replayRun(t.app, created.id);
    expect(replay).toMatchObject({ identical: true, missing: [], counts: { recorded: 4, replayed: 4 } });
  });

  it("fail the hook with a body but no POST, two bodies, or a POST to a browser page type", async () => {
    const page = {
      url: `${t.site.url}/ph/home`,
      finalUrl: `${t.site.url}/ph/home`,
      status: 200,
      headers: {},
      body: "<p>home</p>",
      depth: 0,
      target: "default",
      pageType: "home",
    };
    const ctx = { runId: "RUN-20260101-000000", log: () => {}, signal: new AbortController().signal };
    const parse = (links: ParseHookResult, engine: "http" | "browser" = "http") =>
      hookScraper(() => links, engine).pages.home!.parse(page, ctx);
    const search = { url: "search", page: "results" };
    await expect(parse({ links: [{ ...search, form: { q: "a" } }] })).rejects.toThrow(
      'parse hook returned a link with "form" but no method: "POST"',
    );
    await expect(
      parse({ links: [{ ...search, method: "POST", form: { q: "a" }, json: {} }] }),
    ).rejects.toThrow("parse hook returned a POST link with form and json: give one body");
    await expect(parse({ links: [{ ...search, method: "POST" }] }, "browser")).rejects.toMatchObject({
      code: "TRAWL_ERR_PIPELINE_PARSE_HOOK",
      message: expect.stringContaining('POST link to page type "results", which uses the browser'),
    });
  });
});
