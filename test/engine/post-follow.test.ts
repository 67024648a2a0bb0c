/**
 * POST follow rules against the fault site: a home page links two search URLs, each followed as a
 * GET, POSTed a form and POSTed a JSON document; the POSTed result pages link the same URLs again
 * with the same form. Every URL + body is one request, fetched once, to the exact records; a body
 * without `method: POST`, two bodies, or a POST to a browser page type are definition errors.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { useSiteApp } from "./site-app.ts";

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

const t = useSiteApp("trawl-post-follow-", {
  routes: {
    "/pf/home": (_req, res) => reply(res, `<html><body>${CATEGORY_LINKS}</body></html>`),
    "/pf/search": (req, res) => void search(req, res),
  },
});

describe("POST follow rules", () => {
  it("POST each link with the rule's body, once per URL and body, to the exact records", async () => {
    const scraper = await t.scraper(
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
    const run = await t.app.engine.run(scraper);
    expect(run.status).toBe("succeeded");
    const expected = [
      "GET a",
      "GET b",
      "POST a q=ro&n=2",
      "POST b q=ro&n=2",
      'POST a {"q":"lantern"}',
      'POST b {"q":"lantern"}',
    ];
    const records = (await t.records(run.id)).map((record) => record.heading as string);
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
    await expect(t.scraper("no-method", noMethod)).rejects.toThrow(
      /follow\.0\.form: "form" is a POST body: add method: POST/,
    );
    const both = noMethod.replace("form: { q: a }", "method: POST, form: { q: a }, body_json: { q: a }");
    await expect(t.scraper("both", both)).rejects.toThrow(
      /follow\.0\.body_json: a POST sends "form" or "body_json", not both/,
    );
    const browser = noMethod
      .replace("form: { q: a }", "method: POST")
      .replace("results: { record", "results: { engine: browser, record");
    await expect(t.scraper("browser", browser)).rejects.toThrow(
      /follow\.0\.method: a POST follow rule is fetched over HTTP, but the page type "results" uses the browser/,
    );
  });
});
