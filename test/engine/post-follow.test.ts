/**
 * POST follow rules against the fault site: a home page links two search URLs, each followed as a
 * GET, POSTed a form and POSTed a JSON document; the POSTed result pages link the same URLs again
 * with the same form. Every URL + body is one request, fetched once, to the exact records; a body
 * without `method: POST`, two bodies, or a POST to a browser page type are definition errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

let dir: string;
let site: FaultSite;
let app: App;
/** Requests to /pf/search: method, query and body, in arrival order. */
const received: string[] = [];

const CATEGORY_LINKS =
  `<a class="cat" href="/pf/search?cat=a">a</a><a class="cat" href="/pf/search?cat=b">b</a>` +
  `<a class="cat" href="/pf/search?cat=a#again">a again</a>`;

function reply(res: ServerResponse, body: string): void {
  res.writeHead(200, { "content-type": "text/html", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** The search: its heading names the method, category and body; a POST's page links the categories. */
async function search(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  const cat = new URL(req.url ?? "/", "http://x").searchParams.get("cat");
  const heading = `${req.method} ${cat} ${body}`.trim();
  received.push(heading);
  reply(res, `<html><body><h1>${heading}</h1>${req.method === "POST" ? CATEGORY_LINKS : ""}</body></html>`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-post-follow-"));
  site = await startFaultSite({
    routes: {
      "/pf/home": (_req, res) => reply(res, `<html><body>${CATEGORY_LINKS}</body></html>`),
      "/pf/search": (req, res) => void search(req, res),
    },
  });
  app = await App.open({ home: join(dir, "home") });
});

afterAll(async () => {
  await app.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

async function scraperOf(name: string, yaml: string) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml.replaceAll("SITE", site.url));
  return loadScraper(file);
}

describe("POST follow rules", () => {
  it("POST each link with the rule's body, once per URL and body, to the exact records", async () => {
    const scraper = await scraperOf(
      "post-follow",
      `name: post-follow
start: SITE/pf/home
pages:
  home:
    follow:
      - { css: a.cat, page: results }
      - { css: a.cat, page: results, method: POST, form: { q: ro, n: 2 } }
      - { css: a.cat, page: results, method: POST, body_json: { q: lantern } }
  results:
    follow:
      - { css: a.cat, page: results, method: POST, form: { q: ro, n: 2 } }
    record:
      heading: h1
politeness: { rate_per_host: 1000, robots: ignore, concurrency: 1 }
`,
    );
    const run = await app.engine.run(scraper);
    expect(run.status).toBe("succeeded");
    const expected = [
      "GET a",
      "GET b",
      "POST a q=ro&n=2",
      "POST b q=ro&n=2",
      'POST a {"q":"lantern"}',
      'POST b {"q":"lantern"}',
    ];
    const records: string[] = [];
    for await (const record of app.store.records.read(run.id, 0))
      records.push((record as { heading: string }).heading);
    expect(records.sort()).toEqual([...expected].sort());
    expect(received.sort()).toEqual([...expected].sort()); // none fetched twice
  });

  it("are definition errors with a body but no method: POST, two bodies, or the browser", async () => {
    const noMethod = `name: no-method
start: SITE/pf/home
pages:
  home: { follow: [{ css: a.cat, page: results, form: { q: a } }] }
  results: { record: { t: h1 } }
`;
    await expect(scraperOf("no-method", noMethod)).rejects.toThrow(
      /follow\.0\.form: "form" is a POST body: add method: POST/,
    );
    const both = noMethod.replace("form: { q: a }", "method: POST, form: { q: a }, body_json: { q: a }");
    await expect(scraperOf("both", both)).rejects.toThrow(
      /follow\.0\.body_json: a POST sends "form" or "body_json", not both/,
    );
    const browser = noMethod
      .replace("form: { q: a }", "method: POST")
      .replace("results: { record", "results: { engine: browser, record");
    await expect(scraperOf("browser", browser)).rejects.toThrow(
      /follow\.0\.method: a POST follow rule is fetched over HTTP, but the page type "results" uses the browser/,
    );
  });
});
