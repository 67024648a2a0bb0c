/**
 * WARC and HAR exports of a recorded run: a recording built in a real SQLite file and blob store,
 * exported, then read back with a WARC reader (warcio's parser) and as JSON; then the same through
 * the real `trawl export` command and the API.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WARCParser } from "warcio";
import { App } from "../../src/app/index.ts";
import { writeHar, type HarEntry } from "../../src/replay/har-export.ts";
import { openRecording } from "../../src/replay/read-captures.ts";
import { writeWarc } from "../../src/replay/warc-export.ts";
import { FileBlobStore, type CaptureKind, type Store } from "../../src/store/index.ts";
import { makeWorkDir, parseJson, runCli } from "../cli/run-cli.ts";
import { serve } from "../server/helpers.ts";

const SITE = "http://shop.test";
const AT = Date.parse("2026-03-01T10:00:00.250Z");
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);
const BODIES = {
  page: "<h1>Café crème</h1>",
  json: '{"ok":true}',
  document: "<html><body><div id=app></div></body></html>",
  xhr: '{"items":[1,2]}',
  binary: Buffer.from([0, 255, 1, 128]),
  dom: "<html><body><div id=app><li>1</li><li>2</li></div></body></html>",
};

/** A run with two HTTP pages and a failed one, a browser page with its network, an action and a screenshot. */
async function recordRun(store: Store, blobs: FileBlobStore, record = true): Promise<string> {
  const run = await store.runs.create(
    { scraper: "shop", source: null, definitionHash: "h", targets: ["t"], steps: [], breakpoints: [] },
    AT,
  );
  if (!record) return run.id;
  let at = AT;
  const add = async (kind: CaptureKind, url: string, detail: object, body?: string | Buffer) => {
    const blob = body === undefined ? undefined : await blobs.put(body);
    const row = { kind, at: (at += 1000), url, detail: detail as Record<string, unknown> };
    await store.captures.add(run.id, [{ ...row, blob: blob?.sha256 ?? null, size: blob?.size ?? null }]);
  };
  const html = {
    "content-type": "text/html; charset=ISO-8859-1",
    "content-encoding": "gzip",
    "content-length": "9",
  };
  await add(
    "page",
    `${SITE}/a`,
    {
      engine: "http",
      finalUrl: `${SITE}/a`,
      status: 200,
      headers: { ...html, "set-cookie": "s=1\nt=2", server: "x" },
    },
    BODIES.page,
  );
  await add(
    "page",
    `${SITE}/old`,
    { engine: "http", finalUrl: `${SITE}/new`, status: 200, headers: { "content-type": "application/json" } },
    BODIES.json,
  );
  await add("page", `${SITE}/down`, {
    engine: "http",
    error: { reason: "timeout", message: "no answer in 5 s" },
  });
  const request = { accept: "*/*", cookie: "session=secret", ":authority": "shop.test" };
  const response = (resourceType: string, headers: object, durationMs: number) => ({
    pageUrl: `${SITE}/app`,
    method: "GET",
    status: 200,
    statusText: "OK",
    headers,
    requestHeaders: request,
    resourceType,
    durationMs,
  });
  await add(
    "response",
    `${SITE}/app`,
    response("document", { ...html, "content-encoding": "br" }, 120),
    BODIES.document,
  );
  await add(
    "response",
    `${SITE}/api/items?page=2`,
    response("xhr", { "content-type": "application/json" }, 30),
    BODIES.xhr,
  );
  await add("response", `${SITE}/logo.png`, response("image", { "content-type": "image/png" }, 5));
  await add(
    "response",
    `${SITE}/blob`,
    response("fetch", { "content-type": "application/octet-stream" }, 7),
    BODIES.binary,
  );
  await add("action", `${SITE}/app`, { action: "click #load", durationMs: 40 }, PNG);
  await add(
    "page",
    `${SITE}/app`,
    { engine: "browser", finalUrl: `${SITE}/app`, status: 200, headers: {} },
    BODIES.dom,
  );
  await add("screenshot", `${SITE}/app`, { reason: "page" }, PNG);
  return run.id;
}

interface ReadRecord {
  type: string;
  uri: string | null | undefined;
  warc: (name: string) => string | null | undefined;
  status: number | undefined;
  http: (name: string) => string | null | undefined;
  statusline: string | undefined;
  payload: Buffer;
}

/** Every record of a WARC file (plain or gzipped), read with warcio's parser. */
async function readWarc(file: string): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  for await (const record of new WARCParser(createReadStream(file))) {
    const payload = Buffer.from(await record.readFully(false));
    const http = record.httpHeaders;
    records.push({
      type: record.warcType,
      uri: record.warcTargetURI,
      warc: (name) => record.warcHeader(name),
      status: http ? Number(http.statusCode) : undefined,
      http: (name) => http?.headers.get(name),
      statusline: http?.statusline,
      payload,
    });
  }
  return records;
}

const sha256 = (body: string | Buffer) => `sha256:${createHash("sha256").update(body).digest("hex")}`;

describe("export of a recording", () => {
  let dir: string;
  let app: App;
  let blobs: FileBlobStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "trawl-export-"));
    app = await App.open({ home: join(dir, "home") });
    blobs = new FileBlobStore(app.paths.blobs);
  });
  afterEach(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function exportWarc(runId: string, file: string) {
    const out = createWriteStream(join(dir, file));
    const result = await writeWarc(await openRecording(app.store, app.paths.blobs, runId), out, {
      gzip: file.endsWith(".gz"),
    });
    out.end();
    await finished(out);
    return { result, records: await readWarc(join(dir, file)) };
  }

  it("writes every capture as WARC 1.1 records that a WARC reader reads back", async () => {
    const runId = await recordRun(app.store, blobs);
    const { result, records } = await exportWarc(runId, "run.warc");
    expect(result.records).toBe(records.length);
    expect(records.map((r) => `${r.type} ${r.uri ?? ""}`)).toEqual([
      "warcinfo ",
      `response ${SITE}/a`,
      `response ${SITE}/new`,
      `metadata ${SITE}/down`,
      `request ${SITE}/app`,
      `response ${SITE}/app`,
      `request ${SITE}/api/items?page=2`,
      `response ${SITE}/api/items?page=2`,
      `request ${SITE}/logo.png`,
      `response ${SITE}/logo.png`,
      `request ${SITE}/blob`,
      `response ${SITE}/blob`,
      `metadata ${SITE}/app`,
      `resource urn:trawl:screenshot:${SITE}/app`,
      `conversion ${SITE}/app`,
      `resource urn:trawl:screenshot:${SITE}/app`,
    ]);
    for (const record of records) {
      expect(record.warc("WARC-Record-ID")).toMatch(/^<urn:uuid:[0-9a-f-]{36}>$/);
      expect(record.warc("WARC-Date")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(records[0]!.payload.toString()).toContain(`isPartOf: ${runId}`);

    const [, page, json, failed, docRequest, doc, , xhr, , image, , binary, action, actionShot, dom, shot] =
      records;
    // An HTTP page: its body as stored (UTF-8), headers that match it, credentials redacted.
    expect(page!.status).toBe(200);
    expect(page!.payload).toEqual(Buffer.from(BODIES.page));
    expect(page!.http("content-type")).toBe("text/html; charset=utf-8");
    expect(page!.http("content-length")).toBe(String(Buffer.byteLength(BODIES.page)));
    expect(page!.http("content-encoding")).toBeNull();
    expect(page!.http("set-cookie")).not.toContain("s=1");
    expect(page!.warc("WARC-Date")).toBe(new Date(AT + 1000).toISOString());
    expect(page!.warc("WARC-Payload-Digest")).toBe(sha256(BODIES.page));
    expect(json!.payload.toString()).toBe(BODIES.json);
    expect(failed!.payload.toString()).toContain("fetch-error-reason: timeout");
    // Browser network: the request that went with each response, then the response.
    expect(docRequest!.statusline).toBe("GET /app HTTP/1.1");
    expect(docRequest!.http("host")).toBe("shop.test");
    expect(docRequest!.http("cookie")).toBe("[redacted]");
    expect(docRequest!.warc("WARC-Concurrent-To")).toBe(doc!.warc("WARC-Record-ID"));
    expect(doc!.payload.toString()).toBe(BODIES.document);
    expect(doc!.http("content-encoding")).toBeNull();
    expect(xhr!.payload.toString()).toBe(BODIES.xhr);
    expect(xhr!.warc("WARC-Payload-Digest")).toBe(sha256(BODIES.xhr));
    expect(image!.status).toBe(200);
    expect(image!.payload.length).toBe(0);
    expect(binary!.payload).toEqual(BODIES.binary);
    // An action, its screenshot, the rendered DOM pointing at its document, a screenshot.
    expect(action!.payload.toString()).toContain("action: click #load");
    expect(actionShot!.payload).toEqual(PNG);
    expect(actionShot!.warc("WARC-Concurrent-To")).toBe(action!.warc("WARC-Record-ID"));
    expect(dom!.payload.toString()).toBe(BODIES.dom);
    expect(dom!.warc("Content-Type")).toBe("text/html; charset=utf-8");
    expect(dom!.warc("WARC-Refers-To")).toBe(doc!.warc("WARC-Record-ID"));
    expect(shot!.warc("Content-Type")).toBe("image/png");
    expect(shot!.payload).toEqual(PNG);
  });

  it("gzips each record for a .warc.gz, read back the same", async () => {
    const runId = await recordRun(app.store, blobs);
    const plain = await exportWarc(runId, "run.warc");
    const gzipped = await exportWarc(runId, "run.warc.gz");
    expect((await readFile(join(dir, "run.warc.gz"))).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gzipped.records.map((r) => [r.type, r.uri, r.payload])).toEqual(
      plain.records.map((r) => [r.type, r.uri, r.payload]),
    );
  });

  it("writes a POSTed page as the request record of its method and body, then its response", async () => {
    const run = await app.store.runs.create(
      { scraper: "search", source: null, definitionHash: "h", targets: ["t"], steps: [], breakpoints: [] },
      AT,
    );
    const search = `${SITE}/search?lang=en`;
    const bodies = [
      { type: "form", text: "q=caf%C3%A9&n=2" },
      { type: "json", text: '{"q":"lamp"}' },
    ] as const;
    const pages = [...bodies.map((request) => ({ request })), {}].map((post, i) => ({
      kind: "page" as const,
      at: AT + i,
      url: search,
      detail: { engine: "http", finalUrl: search, status: 200, headers: {}, ...post },
    }));
    for (const page of pages) {
      const blob = await blobs.put(`<h1>${JSON.stringify(page.detail)}</h1>`);
      await app.store.captures.add(run.id, [{ ...page, blob: blob.sha256, size: blob.size }]);
    }
    const { records } = await exportWarc(run.id, "post.warc");
    expect(records.map((r) => `${r.type} ${r.statusline ?? ""}`)).toEqual([
      "warcinfo ",
      "request POST /search?lang=en HTTP/1.1",
      "response HTTP/1.1 200 OK",
      "request POST /search?lang=en HTTP/1.1",
      "response HTTP/1.1 200 OK",
      "response HTTP/1.1 200 OK",
    ]);
    const [, form, formPage, json, jsonPage] = records;
    expect(form!.uri).toBe(search);
    expect(form!.payload.toString()).toBe("q=caf%C3%A9&n=2");
    expect(form!.http("content-type")).toBe("application/x-www-form-urlencoded");
    expect(form!.http("content-length")).toBe("15");
    expect(form!.http("host")).toBe("shop.test");
    expect(form!.warc("WARC-Concurrent-To")).toBe(formPage!.warc("WARC-Record-ID"));
    expect(json!.payload.toString()).toBe('{"q":"lamp"}');
    expect(json!.http("content-type")).toBe("application/json");
    expect(json!.warc("WARC-Concurrent-To")).toBe(jsonPage!.warc("WARC-Record-ID"));
    expect(jsonPage!.payload.toString()).toContain("lamp");
  });

  it("writes HAR 1.2 entries for network responses and HTTP pages, grouped by page", async () => {
    const runId = await recordRun(app.store, blobs);
    const file = join(dir, "run.har");
    const out = createWriteStream(file);
    const result = await writeHar(await openRecording(app.store, app.paths.blobs, runId), out);
    out.end();
    await finished(out);
    const har = JSON.parse(await readFile(file, "utf8")) as {
      log: {
        version: string;
        creator: { name: string };
        pages: { id: string; title: string }[];
        entries: HarEntry[];
      };
    };
    expect(har.log.version).toBe("1.2");
    expect(har.log.creator.name).toBe("trawl");
    const entries = har.log.entries;
    expect(result.records).toBe(entries.length);
    expect(entries.map((e) => e.request.url)).toEqual([
      `${SITE}/a`,
      `${SITE}/new`,
      `${SITE}/down`,
      `${SITE}/app`,
      `${SITE}/api/items?page=2`,
      `${SITE}/logo.png`,
      `${SITE}/blob`,
    ]);
    for (const entry of entries)
      expectHarEntry(
        entry,
        har.log.pages.map((p) => p.id),
      );
    expect(har.log.pages.map((p) => p.title)).toEqual([
      `${SITE}/a`,
      `${SITE}/new`,
      `${SITE}/down`,
      `${SITE}/app`,
    ]);
    const [page, , failed, doc, xhr, image, binary] = entries;
    expect(page!.response.content).toMatchObject({ text: BODIES.page, size: Buffer.byteLength(BODIES.page) });
    expect(page!.response.headers).toContainEqual({ name: "set-cookie", value: "[redacted]" });
    expect(failed!.response.status).toBe(0);
    expect(failed!._error).toBe("timeout: no answer in 5 s");
    expect(doc!.startedDateTime).toBe(new Date(AT + 4000).toISOString());
    expect(doc!.timings).toEqual({ send: 0, wait: 120, receive: 0 });
    expect(doc!.time).toBe(120);
    expect(doc!.request.headers).toContainEqual({ name: "cookie", value: "[redacted]" });
    expect(xhr!.request.queryString).toEqual([{ name: "page", value: "2" }]);
    expect(xhr!.response.content).toMatchObject({ text: BODIES.xhr, mimeType: "application/json" });
    expect(xhr!._resourceType).toBe("xhr");
    expect(image!.response.content).toMatchObject({ size: 0, mimeType: "image/png" });
    expect(binary!.response.content).toMatchObject({
      encoding: "base64",
      text: BODIES.binary.toString("base64"),
    });
    expect(new Set([doc!.pageref, xhr!.pageref, image!.pageref]).size).toBe(1);
  });

  it("refuses a run that recorded nothing", async () => {
    const runId = await recordRun(app.store, blobs, false);
    await expect(openRecording(app.store, app.paths.blobs, runId)).rejects.toMatchObject({
      code: "TRAWL_ERR_REPLAY_NO_RECORDING",
      message: `run ${runId} has no recording; run it with --record`,
    });
    await expect(openRecording(app.store, app.paths.blobs, "RUN-20260101-000000")).rejects.toMatchObject({
      code: "TRAWL_ERR_ENGINE_RUN_NOT_FOUND",
    });
  });
});

/** The fields HAR 1.2 requires of an entry, with their types. */
function expectHarEntry(entry: HarEntry, pageIds: string[]): void {
  expect(pageIds).toContain(entry.pageref);
  expect(new Date(entry.startedDateTime).toISOString()).toBe(entry.startedDateTime);
  expect(entry.time).toBeGreaterThanOrEqual(0);
  for (const part of [entry.request, entry.response]) {
    expect(typeof part.httpVersion).toBe("string");
    expect(Array.isArray(part.cookies)).toBe(true);
    for (const header of part.headers)
      expect(header).toEqual({ name: expect.any(String), value: expect.any(String) });
    expect(part.headersSize).toBe(-1);
    expect(typeof part.bodySize).toBe("number");
  }
  expect(typeof entry.request.method).toBe("string");
  expect(Array.isArray(entry.request.queryString)).toBe(true);
  expect(typeof entry.response.status).toBe("number");
  expect(typeof entry.response.statusText).toBe("string");
  expect(typeof entry.response.redirectURL).toBe("string");
  expect(entry.response.content).toMatchObject({ size: expect.any(Number), mimeType: expect.any(String) });
  expect(entry.cache).toEqual({});
  const { send, wait, receive } = entry.timings;
  expect(send + wait + receive).toBe(entry.time);
}

describe("trawl export --format warc|har", () => {
  async function seededHome(record: boolean) {
    const { dir, home } = await makeWorkDir();
    const app = await App.open({ home });
    const runId = await recordRun(app.store, new FileBlobStore(app.paths.blobs), record);
    await app.close();
    return { dir, home, runId };
  }

  it("writes a gzipped WARC to --out and reports it", async () => {
    const { dir, home, runId } = await seededHome(true);
    const out = join(dir, "run.warc.gz");
    const result = await runCli(["export", runId, "--format", "warc", "--out", out, "--json"], { home });
    expect(result.code, result.stderr).toBe(0);
    const records = await readWarc(out);
    expect(parseJson(result)).toEqual({ file: out, format: "warc", records: records.length });
    expect(records.filter((r) => r.type === "response")).toHaveLength(6);
  });

  it("exits 2 for a dataset and for a run without a recording", async () => {
    const { home, runId } = await seededHome(false);
    const dataset = await runCli(["export", "books", "--format", "har"], { home });
    expect(dataset.code).toBe(2);
    expect(dataset.stderr).toContain("give a run id");
    const bare = await runCli(["export", runId, "--format", "warc", "--json"], { home });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain(`run ${runId} has no recording; run it with --record`);
    expect(parseJson<{ error: { code: string } }>(bare).error.code).toBe("TRAWL_ERR_REPLAY_NO_RECORDING");
  });
});

describe("GET /api/runs/:id/recording.warc|har", () => {
  it("downloads the recording, and 404 for a run without one", async () => {
    const f = await serve({ scheduler: false });
    const runId = await recordRun(f.app.store, new FileBlobStore(f.app.paths.blobs));
    const har = await f.api("GET", `/api/runs/${runId}/recording.har`);
    expect(har.status).toBe(200);
    expect(har.headers["content-disposition"]).toBe(`attachment; filename="${runId}.har"`);
    expect(har.json.log.entries).toHaveLength(7);
    const warc = await fetch(`${f.server.url}/api/runs/${runId}/recording.warc`, {
      headers: { authorization: `Bearer ${f.server.accessToken}` },
    });
    expect(warc.headers.get("content-type")).toBe("application/warc");
    const file = join(f.dir, "download.warc");
    await writeFile(file, Buffer.from(await warc.arrayBuffer()));
    expect((await readWarc(file)).map((r) => r.type)).toContain("conversion");
    // Documented as files of their media types, not as JSON objects.
    const spec = (await f.api("GET", "/api/openapi.json")).json;
    for (const [format, type] of [
      ["warc", "application/warc"],
      ["har", "application/json"],
    ] as const)
      expect(spec.paths[`/api/runs/{id}/recording.${format}`].get.responses["200"].content).toEqual({
        [type]: { schema: { type: "string", format: "binary" } },
      });
    const bare = await recordRun(f.app.store, new FileBlobStore(f.app.paths.blobs), false);
    const missing = await f.api("GET", `/api/runs/${bare}/recording.warc`);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ code: "TRAWL_ERR_REPLAY_NO_RECORDING", error: "Not Found" });
    const unknown = await f.api("GET", "/api/runs/RUN-20260101-000000/recording.har");
    expect(unknown.json).toMatchObject({ statusCode: 404, code: "TRAWL_ERR_ENGINE_RUN_NOT_FOUND" });
  });
});
