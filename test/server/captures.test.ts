/**
 * Captures through the real server: listing, bodies (sandboxed, with the right content types),
 * the page a record came from and the highlighted variant of a page.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScraper } from "../../src/pipeline/index.ts";
import { FileBlobStore, type NewCapture } from "../../src/store/index.ts";
import { serve, type Fixture } from "./helpers.ts";

const CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'";
/** The smallest valid PNG (1×1, transparent). */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

/** Raw bytes of a GET, for bodies that are not JSON. */
async function fetchBody(f: Fixture, path: string) {
  const response = await fetch(`${f.server.url}${path}`, {
    headers: { authorization: `Bearer ${f.server.accessToken}` },
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** A finished run of the helper's `tiny` scraper (pages `/slow?n=0..2`), with captures of its pages. */
async function recordedRun(f: Fixture) {
  const run = await f.app.engine.run(await loadScraper(f.scraperFile));
  const blobs = new FileBlobStore(f.app.paths.blobs);
  const at = Date.parse("2026-01-01T10:00:00Z");
  const captures: NewCapture[] = [];
  for (const n of [0, 1, 2]) {
    const url = `${f.site.url}/slow?n=${n}`;
    const html = `<html><head><title>${n}</title></head><body><h1>Item ${n}</h1><p class="k">${n}</p></body></html>`;
    const blob = await blobs.put(html);
    captures.push({
      kind: "page",
      at: at + n * 100,
      url,
      detail: { engine: "http", finalUrl: url, status: 200, headers: { "content-type": "text/html" } },
      blob: blob.sha256,
      size: blob.size,
    });
  }
  const image = await blobs.put(PNG);
  const json = await blobs.put('{"ok":true}');
  captures.push(
    {
      kind: "response",
      at: at + 400,
      url: `${f.site.url}/api/items`,
      detail: {
        pageUrl: `${f.site.url}/slow?n=0`,
        method: "GET",
        status: 200,
        statusText: "OK",
        headers: { "content-type": "application/json; charset=utf-8" },
        requestHeaders: {},
        resourceType: "fetch",
        durationMs: 12,
      },
      blob: json.sha256,
      size: json.size,
    },
    {
      kind: "action",
      at: at + 500,
      url: `${f.site.url}/slow?n=0`,
      detail: { action: "click .more", durationMs: 30 },
      blob: image.sha256,
      size: image.size,
    },
    {
      kind: "page",
      at: at + 600,
      url: `${f.site.url}/gone`,
      detail: {
        engine: "browser",
        load: "wait_until=load",
        error: { reason: "http_500", message: "500", status: 500 },
      },
    },
    {
      kind: "screenshot",
      at: at + 700,
      url: `${f.site.url}/gone`,
      detail: { reason: "failed", error: "http_500" },
      blob: image.sha256,
      size: image.size,
    },
  );
  const ids = await f.app.store.captures.add(run.id, captures);
  return { runId: run.id, ids, captures };
}

describe("captures API", () => {
  it("lists a run's captures in order, by kind, paged, with counts and without bodies", async () => {
    const f = await serve();
    const { runId, ids, captures } = await recordedRun(f);
    const all = await f.api("GET", `/api/runs/${runId}/captures`);
    expect(all.status).toBe(200);
    expect(all.json.captures.map((c: { id: number }) => c.id)).toEqual(ids);
    // Each capture whole, every kind's detail as stored: the response schema drops nothing.
    expect(all.json.captures).toEqual(
      captures.map(({ at, blob = null, size = null, ...capture }, i) => ({
        ...capture,
        id: ids[i],
        runId,
        at: new Date(at).toISOString(),
        blob,
        size,
        bodyUrl: blob ? `/api/runs/${runId}/captures/${ids[i]}/body` : null,
      })),
    );
    expect(all.json.next).toBeNull();
    expect(all.json.counts).toEqual({ page: 4, response: 1, action: 1, screenshot: 1 });
    const first = all.json.captures[0];
    expect(first).toMatchObject({
      kind: "page",
      at: "2026-01-01T10:00:00.000Z",
      url: `${f.site.url}/slow?n=0`,
    });
    expect(first.bodyUrl).toBe(`/api/runs/${runId}/captures/${ids[0]}/body`);
    expect(first).not.toHaveProperty("body");
    expect(all.json.captures[5]).toMatchObject({ kind: "page", blob: null, bodyUrl: null });

    const shots = await f.api("GET", `/api/runs/${runId}/captures?kinds=screenshot,action`);
    expect(shots.json.captures.map((c: { kind: string }) => c.kind)).toEqual(["action", "screenshot"]);

    const page1 = await f.api("GET", `/api/runs/${runId}/captures?limit=4`);
    expect(page1.json.captures).toHaveLength(4);
    expect(page1.json.next).toBe(ids[3]);
    const page2 = await f.api("GET", `/api/runs/${runId}/captures?limit=4&after=${page1.json.next}`);
    expect(page2.json.captures.map((c: { id: number }) => c.id)).toEqual(ids.slice(4));
    expect(page2.json.next).toBeNull();

    const bad = await f.api("GET", `/api/runs/${runId}/captures?kinds=page,video`);
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe("TRAWL_ERR_HTTP_VALIDATION");
    const spec = (await f.api("GET", "/api/openapi.json")).json;
    const ok = (path: string) => spec.paths[`/api/runs/{id}${path}`].get.responses["200"].content;
    expect(ok("/captures")["application/json"].schema.properties.captures.items.anyOf).toHaveLength(4);
    expect(ok("/source")["application/json"].schema.required).toContain("highlightUrl");
    // A body is documented as bytes of its media types, not as JSON.
    const binary = { schema: { type: "string", format: "binary" } };
    expect(ok("/captures/{captureId}/body")).toEqual({
      "text/html": binary,
      "image/png": binary,
      "*/*": binary,
    });
    const none = await f.api("GET", `/api/runs/RUN-20200101-000000/captures`);
    expect(none.status).toBe(404);
    expect(none.json.code).toBe("TRAWL_ERR_ENGINE_RUN_NOT_FOUND");
  });

  it("serves bodies sandboxed, each with its content type, and 404s what is not there", async () => {
    const f = await serve();
    const { runId, ids } = await recordedRun(f);
    const body = (id: number, suffix = "") => fetchBody(f, `/api/runs/${runId}/captures/${id}/body${suffix}`);

    const page = await body(ids[0]!);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toBe(CSP);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.bytes.toString()).toContain("<h1>Item 0</h1>");

    const response = await body(ids[3]!);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toBe(CSP);
    expect(response.bytes.toString()).toBe('{"ok":true}');

    for (const id of [ids[4]!, ids[6]!]) {
      const image = await body(id);
      expect(image.headers.get("content-type")).toBe("image/png");
      expect(image.headers.get("content-security-policy")).toBe(CSP);
      expect(image.headers.get("x-content-type-options")).toBe("nosniff");
      expect(image.bytes.equals(PNG)).toBe(true);
    }

    const noBody = await f.api("GET", `/api/runs/${runId}/captures/${ids[5]}/body`);
    expect(noBody.status).toBe(404);
    expect(noBody.json).toMatchObject({
      statusCode: 404,
      code: "TRAWL_ERR_REPLAY_NO_BODY",
      error: "Not Found",
    });
    expect(noBody.headers["content-security-policy"]).toBe(CSP);
    const missing = await f.api("GET", `/api/runs/${runId}/captures/999999/body`);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ code: "TRAWL_ERR_REPLAY_CAPTURE_NOT_FOUND", error: "Not Found" });
    const otherRun = await f.api("GET", `/api/runs/RUN-20200101-000000/captures/${ids[0]}/body`);
    expect(otherRun.json.code).toBe("TRAWL_ERR_ENGINE_RUN_NOT_FOUND");
  });

  it("finds the page a record or a URL came from, with its selectors, and outlines them", async () => {
    const f = await serve();
    const { runId, ids } = await recordedRun(f);
    // The tiny scraper's records hold no URL: the page is the one their request fetched.
    const byRecord = await f.api("GET", `/api/runs/${runId}/source?record=1`);
    expect(byRecord.status).toBe(200);
    expect(byRecord.json).toMatchObject({
      url: `${f.site.url}/slow?n=1`,
      match: "request",
      capture: { id: ids[1], kind: "page" },
      pageType: "page",
      each: null,
      pageTypes: ["page"],
      definitionChanged: false,
      highlightUrl: `/api/runs/${runId}/captures/${ids[1]}/body?highlight=page`,
    });
    expect(Object.keys(byRecord.json).sort()).toEqual(
      [
        ...["capture", "definitionChanged", "each", "fields", "highlightUrl", "match"],
        ...["pageType", "pageTypes", "url"],
      ].sort(),
    );
    expect(byRecord.json.capture).toEqual(
      (await f.api("GET", `/api/runs/${runId}/captures?limit=2`)).json.captures[1],
    );
    expect(byRecord.json.fields.map((x: { name: string; selector: string }) => [x.name, x.selector])).toEqual(
      [
        ["title", "h1"],
        ["key", ".k"],
      ],
    );

    // A record whose page is not known (a step made it from several) is found by its values.
    const crawled: unknown[] = [];
    for await (const record of f.app.store.records.read(runId, 0)) crawled.push(record);
    await f.app.store.records.append(runId, 9, [crawled[2]], 0);
    const byContent = await f.api("GET", `/api/runs/${runId}/source?record=0&stage=9`);
    expect(byContent.json).toMatchObject({ match: "content", capture: { id: ids[2] } });

    const byUrl = await f.api(
      "GET",
      `/api/runs/${runId}/source?url=${encodeURIComponent(`${f.site.url}/slow?n=2`)}`,
    );
    expect(byUrl.json).toMatchObject({ match: "url", capture: { id: ids[2] }, pageType: "page" });

    const highlighted = await fetchBody(f, byRecord.json.highlightUrl);
    expect(highlighted.status).toBe(200);
    expect(highlighted.headers.get("content-security-policy")).toBe(CSP);
    expect(highlighted.headers.get("x-trawl-highlight")).toBe("page");
    const html = highlighted.bytes.toString();
    expect(html).toMatch(
      /<style data-trawl-highlight>[^]*h1 \{ outline: 2px solid #[0-9a-f]{6}[^]*<\/style><\/head>/,
    );
    expect(html).toContain(".k { outline");
    expect(
      (await fetchBody(f, `${byRecord.json.capture.bodyUrl}?highlight=auto`)).headers.get(
        "x-trawl-highlight",
      ),
    ).toBe("page");
    const unknownType = await f.api("GET", `${byRecord.json.capture.bodyUrl}?highlight=nope`);
    expect(unknownType.status).toBe(400);

    const notRecorded = await f.api(
      "GET",
      `/api/runs/${runId}/source?url=${encodeURIComponent("http://elsewhere.test/")}`,
    );
    expect(notRecorded.status).toBe(404);
    expect(notRecorded.json.code).toBe("TRAWL_ERR_REPLAY_SOURCE_NOT_FOUND");
    expect((await f.api("GET", `/api/runs/${runId}/source?record=99`)).json.code).toBe(
      "TRAWL_ERR_REPLAY_SOURCE_NOT_FOUND",
    );
    expect((await f.api("GET", `/api/runs/${runId}/source`)).status).toBe(400);
  });

  it("scopes the fields of `records: { each }` and follows a record's URL field", async () => {
    const f = await serve();
    const file = join(f.dir, "list.yaml");
    writeFileSync(
      file,
      [
        "name: list",
        `start: ${f.site.url}/ok`,
        "pages:",
        "  index:",
        "    records:",
        '      each: "li.a, li.b"',
        '      fields: { name: "h2, .t", price: { css: .p, type: number }, url: { from: url } }',
        "",
      ].join("\n"),
    );
    const run = await f.app.engine.create(await loadScraper(file));
    const url = `${f.site.url}/ok`;
    const blobs = new FileBlobStore(f.app.paths.blobs);
    const html = '<ul><li class="a"><h2>One</h2><span class="p">1</span></li></ul>';
    const blob = await blobs.put(html);
    const [id] = await f.app.store.captures.add(run.id, [
      {
        kind: "page",
        at: Date.now(),
        url,
        detail: { engine: "http", status: 200 },
        blob: blob.sha256,
        size: blob.size,
      },
    ]);
    await f.app.store.records.append(run.id, 0, [{ name: "One", price: 1, url }], 0);

    const source = await f.api("GET", `/api/runs/${run.id}/source?record=0`);
    expect(source.json).toMatchObject({
      match: "url",
      capture: { id },
      pageType: "index",
      each: "li.a, li.b",
    });
    expect(source.json.fields.map((x: { name: string; selector: string }) => [x.name, x.selector])).toEqual([
      ["name", "li.a h2, li.a .t, li.b h2, li.b .t"],
      ["price", "li.a .p, li.b .p"],
    ]);
    const css = (await fetchBody(f, source.json.highlightUrl)).bytes.toString();
    // No <head>: the style goes at the end; one rule per selector, the scope dashed.
    expect(css.startsWith(html)).toBe(true);
    expect(css).toContain("li.a { outline: 2px dashed");
    expect(css).toContain("li.b .t { outline: 2px solid");
  });
});
