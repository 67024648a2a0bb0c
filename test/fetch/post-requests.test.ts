/**
 * POST requests over HTTP, against the fault site: a form and a JSON body arrive as sent, with
 * their Content-Type (unless the request names one); a 303 after a POST goes on as a GET without
 * the body, a 307 POSTs the body again.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpFetcher, type HttpFetcher } from "../../src/fetch/index.ts";
import { formBody, jsonBody } from "../../src/core/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

/** Answers with what it received: method, Content-Type and body. */
async function echo(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.stringify({
    method: req.method,
    type: req.headers["content-type"] ?? null,
    body: Buffer.concat(chunks).toString("utf8"),
  });
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const redirectTo = (status: number) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { location: "/echo", "content-length": 0 });
  res.end();
};

let site: FaultSite;
let fetcher: HttpFetcher;

beforeAll(async () => {
  site = await startFaultSite({
    routes: {
      "/echo": (req, res) => void echo(req, res),
      "/see-other": redirectTo(303),
      "/again": redirectTo(307),
    },
  });
  fetcher = createHttpFetcher({ ratePerHost: 1000, maxRatePerHost: 1000, obeyRobots: false, retries: 0 });
});

afterAll(async () => {
  await fetcher.close();
  await site.close();
});

const received = async (
  path: string,
  init: Parameters<HttpFetcher["fetch"]>[0] extends infer R ? Omit<R, "url"> : never,
) =>
  JSON.parse((await fetcher.fetch({ url: `${site.url}${path}`, ...init })).body) as Record<string, unknown>;

describe("POST requests", () => {
  it("send a form or a JSON body with its Content-Type, and a GET sends none", async () => {
    expect(await received("/echo", { body: formBody({ q: "brass lantern", page: 2 }) })).toEqual({
      method: "POST",
      type: "application/x-www-form-urlencoded",
      body: "q=brass+lantern&page=2",
    });
    expect(
      await received("/echo", { body: jsonBody({ query: "{ items }", variables: { b: 1, a: [2] } }) }),
    ).toEqual({
      method: "POST",
      type: "application/json",
      body: '{"query":"{ items }","variables":{"a":[2],"b":1}}',
    });
    expect(await received("/echo", {})).toEqual({ method: "GET", type: null, body: "" });
  });

  it("keep a Content-Type the request's headers name", async () => {
    const body = jsonBody({ q: 1 });
    const headers = { "Content-Type": "application/graphql+json" };
    expect(await received("/echo", { body, headers })).toMatchObject({ type: "application/graphql+json" });
  });

  it("go on as a GET after a 303, and POST the body again after a 307", async () => {
    const body = formBody({ q: "oar" });
    expect(await received("/see-other", { body })).toEqual({ method: "GET", type: null, body: "" });
    expect(await received("/again", { body })).toEqual({
      method: "POST",
      type: "application/x-www-form-urlencoded",
      body: "q=oar",
    });
  });
});
