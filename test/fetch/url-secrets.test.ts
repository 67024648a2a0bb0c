/**
 * `{{ secret.NAME }}` in a request's URL and POST body (issue 15, item 6): the site gets the
 * value; what comes back (final URL, headers, body, error) holds the reference instead, so links
 * echoing the key are followed with it filled in again and nothing stored holds it; a reference is
 * only filled in for the hosts the definition wrote it for.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formBody, jsonBody } from "../../src/core/index.ts";
import {
  compactReferences,
  createHttpFetcher,
  FetchError,
  hostOf,
  normalizeUrl,
  type HttpFetcher,
  type SecretSource,
} from "../../src/fetch/index.ts";
import { wireRequest } from "../../src/fetch/wire-template.ts";
import { compileDefinition } from "../../src/pipeline/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

const KEY = "k3y/with+odd&chars";
const PASS = "pa55-Word-9Xq";
const secrets: SecretSource = { get: (name) => ({ KEY, PASS })[name] };

/** The failure of a request that must fail. */
async function failureOf(fetching: Promise<unknown>): Promise<FetchError> {
  const error = await fetching.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

/** What the site received, echoed in its text, a link and a header. */
async function echo(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const key = new URL(req.url!, "http://x").searchParams.get("key") ?? "";
  const pass = new URLSearchParams(Buffer.concat(chunks).toString()).get("pass") ?? "";
  received.push({ key, pass });
  const body = `<p>${key} ${pass}</p><a href="/echo?key=${encodeURIComponent(key)}&page=2">next</a>`;
  res.writeHead(200, { "content-type": "text/html", "x-echo": key });
  res.end(body);
}

const received: { key: string; pass: string }[] = [];
let site: FaultSite;
let fetcher: HttpFetcher;

beforeAll(async () => {
  site = await startFaultSite({
    routes: {
      "/echo": (req, res) => void echo(req, res),
      "/hop": (req, res) => {
        res.writeHead(302, { location: `/echo${req.url!.slice("/hop".length)}`, "content-length": 0 });
        res.end();
      },
    },
  });
  fetcher = createHttpFetcher({
    ratePerHost: 1000,
    maxRatePerHost: 1000,
    obeyRobots: false,
    retries: 0,
    secrets,
    templateHosts: { "secret.KEY": [hostOf(site.url)], "secret.PASS": [hostOf(site.url)] },
  });
});

afterAll(async () => {
  await fetcher.close();
  await site.close();
});

describe("a secret in a URL", () => {
  it("reaches the site, and comes back as its reference in the final URL, headers and body", async () => {
    const url = normalizeUrl(compactReferences(`${site.url}/hop?key={{ secret.KEY }}`))!;
    const page = await fetcher.fetch({ url });
    expect(received.at(-1)).toEqual({ key: KEY, pass: "" });
    expect(page.url).toBe(url);
    expect(page.finalUrl).toBe(`${site.url}/echo?key={{secret.KEY}}`);
    expect(page.headers["x-echo"]).toBe("{{secret.KEY}}");
    expect(page.body).toBe(`<p>{{secret.KEY}} </p><a href="/echo?key={{secret.KEY}}&page=2">next</a>`);
    // The echoed link, as the crawl would follow it: the key is filled in again.
    const link = normalizeUrl("/echo?key={{secret.KEY}}&page=2", page.finalUrl)!;
    await fetcher.fetch({ url: link });
    expect(received.at(-1)).toEqual({ key: KEY, pass: "" });
  });

  it("in a POST form or JSON body reaches the site, and no failure message tells it", async () => {
    await fetcher.fetch({
      url: `${site.url}/echo`,
      body: formBody({ q: "lamp", pass: "{{ secret.PASS }}" }),
    });
    expect(received.at(-1)).toEqual({ key: "", pass: PASS });
    const json = wireRequest(
      `${site.url}/echo`,
      jsonBody({ pass: "{{ secret.PASS }}" }),
      { "secret.PASS": [hostOf(site.url)] },
      secrets,
    );
    expect(json!.body!.text).toBe(`{"pass":"${PASS}"}`);
    const failure = await failureOf(fetcher.fetch({ url: `${site.url}/status/404?key={{secret.KEY}}` }));
    expect(`${failure.message} ${failure.url} ${JSON.stringify(failure.details)}`).not.toContain(KEY);
    expect(`${failure.message} ${failure.url}`).not.toContain(encodeURIComponent(KEY));
  });

  it("is filled in a URL's path too, percent-encoded", () => {
    const url = normalizeUrl(compactReferences("https://api.example.test/v1/{{ secret.KEY }}/items"))!;
    expect(url).toBe("https://api.example.test/v1/%7B%7Bsecret.KEY%7D%7D/items");
    const wire = wireRequest(url, undefined, { "secret.KEY": ["api.example.test"] }, secrets)!;
    expect(wire.url).toBe(`https://api.example.test/v1/${encodeURIComponent(KEY)}/items`);
    expect(wire.scrub(wire.url)).toBe("https://api.example.test/v1/{{secret.KEY}}/items");
  });

  it("is never sent to a host the definition did not write it for", async () => {
    const before = received.length;
    const other = site.url.replace("127.0.0.1", "localhost");
    const failure = await failureOf(fetcher.fetch({ url: `${other}/echo?key={{secret.KEY}}` }));
    expect(failure.reason).toBe("bad_url");
    expect(failure.message).toContain(`only sends to ${hostOf(site.url)}, not ${hostOf(other)}`);
    expect(received.length).toBe(before);
  });
});

describe("a definition's start requests", () => {
  it("tell the secrets they read and the hosts each may go to; a typo in {{ }} is refused", () => {
    const scraper = compileDefinition({
      name: "keyed",
      start: [
        "https://api.example.test/items?key={{ secret.API_KEY }}",
        { url: "https://search.example.test/find", method: "POST", form: { pass: "{{ env.SEARCH_PASS }}" } },
      ],
      pages: { list: { record: { title: "h1" } } },
    });
    expect(scraper.targets[0]!.start).toEqual(["https://api.example.test/items?key={{secret.API_KEY}}"]);
    expect(scraper.secretNames).toEqual(["API_KEY"]);
    expect(scraper.envNames).toEqual(["SEARCH_PASS"]);
    expect(scraper.templateHosts).toEqual({
      "secret.API_KEY": ["api.example.test"],
      "env.SEARCH_PASS": ["search.example.test"],
    });
    expect(() =>
      compileDefinition({
        name: "typo",
        start: "https://api.example.test/items?key={{ secrets.API_KEY }}",
        pages: { list: { record: { title: "h1" } } },
      }),
    ).toThrow(/can be used inside \{\{ \}\}/);
  });
});
