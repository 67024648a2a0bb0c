/**
 * A run's network as a HAR 1.2 file (http://www.softwareishard.com/blog/har-12-spec/), written
 * entry by entry to a stream: the browser's network responses and the pages the HTTP engine got.
 */
import { STATUS_CODES } from "node:http";
import type { Writable } from "node:stream";
import { REQUEST_BODY_TYPES, TRAWL_VERSION } from "../core/index.ts";
import type { CaptureRecord } from "../store/index.ts";
import type { PageDetail, ResponseDetail } from "./capture-detail.ts";
import {
  bodyOf,
  headerPairs,
  readCaptures,
  writeChunk,
  type ExportResult,
  type Recording,
} from "./read-captures.ts";

/** A name–value pair of HAR (headers, query string). */
export interface HarPair {
  name: string;
  value: string;
}

/** One request and its response. Fields starting with `_` are trawl's own, as HAR allows. */
export interface HarEntry {
  pageref: string;
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: never[];
    headers: HarPair[];
    queryString: HarPair[];
    headersSize: -1;
    bodySize: number;
    /** A POST's body (a page of the HTTP engine that POSTed a form or JSON). */
    postData?: { mimeType: string; text: string };
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: never[];
    headers: HarPair[];
    content: { size: number; mimeType: string; text?: string; encoding?: "base64"; comment?: string };
    redirectURL: string;
    headersSize: -1;
    bodySize: -1;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  /** Playwright's resource type (`document`, `xhr`…); `document` for a page of the HTTP engine. */
  _resourceType: string;
  /** Why the request failed (a page of the HTTP engine that got no response). */
  _error?: string;
}

/** A page of HAR: the entries of one page URL. */
export interface HarPage {
  id: string;
  startedDateTime: string;
  title: string;
  pageTimings: { onContentLoad: -1; onLoad: -1 };
}

/** Media types whose body HAR can hold as text. */
const TEXTUAL =
  /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|ecmascript|x-www-form-urlencoded)\b)/i;

/**
 * Writes the recording as HAR 1.2 JSON: one entry per browser network response and per page the
 * HTTP engine fetched (or failed to: status 0 and `_error`), in the order they happened; pages
 * group entries by the URL of the page that made the request. Bodies are `text` when their media
 * type is textual and they decode, else base64 (`encoding`); a response kept without a body
 * (images, scripts, redirects) has none. Timings: the recorded duration is all `wait` (the
 * browser's capture does not split it); HTTP pages have none (0). Cookies are not parsed (empty
 * lists) and credential headers are `[redacted]`. `out` is not ended; resolves to the number of
 * entries.
 */
export async function writeHar(recording: Recording, out: Writable): Promise<ExportResult> {
  const pages = new Map<string, HarPage>();
  const pageRef = (url: string, at: number) => {
    let page = pages.get(url);
    if (!page) {
      page = { id: `page_${pages.size + 1}`, startedDateTime: isoDate(at), title: url, pageTimings };
      pages.set(url, page);
    }
    if (at < Date.parse(page.startedDateTime)) page.startedDateTime = isoDate(at);
    return page.id;
  };
  const creator = { name: "trawl", version: TRAWL_VERSION, comment: `run ${recording.run.id}` };
  await writeChunk(out, `{"log":{"version":"1.2","creator":${JSON.stringify(creator)},"entries":[`);
  let entries = 0;
  for await (const capture of readCaptures(recording, ["page", "response"])) {
    const entry = await entryOf(recording, capture, pageRef);
    if (!entry) continue;
    await writeChunk(out, `${entries === 0 ? "\n" : ",\n"}${JSON.stringify(entry)}`);
    entries++;
  }
  await writeChunk(out, `\n],"pages":${JSON.stringify([...pages.values()])}}}\n`);
  return { records: entries };
}

const pageTimings = { onContentLoad: -1, onLoad: -1 } as const;

type PageRef = (url: string, at: number) => string;

async function entryOf(recording: Recording, capture: CaptureRecord, pageRef: PageRef) {
  if (capture.kind === "response") {
    const detail = capture.detail as unknown as ResponseDetail;
    return responseEntry(
      capture,
      detail,
      await bodyOf(recording, capture),
      pageRef(detail.pageUrl, capture.at),
    );
  }
  const detail = capture.detail as unknown as PageDetail;
  if (detail.engine !== "http") return null;
  const url = detail.finalUrl ?? capture.url ?? "";
  return pageEntry(capture, detail, await bodyOf(recording, capture), pageRef(url, capture.at));
}

function responseEntry(
  capture: CaptureRecord,
  detail: ResponseDetail,
  body: Buffer | null,
  pageref: string,
): HarEntry {
  const url = capture.url ?? "";
  const bodySize = detail.method === "GET" || detail.method === "HEAD" ? 0 : -1;
  return {
    pageref,
    startedDateTime: isoDate(capture.at),
    time: detail.durationMs,
    request: request(detail.method, url, "", pairs(detail.requestHeaders), bodySize),
    response: response(detail.status, detail.statusText, "", detail.headers, content(body, detail.headers)),
    cache: {},
    timings: { send: 0, wait: detail.durationMs, receive: 0 },
    _resourceType: detail.resourceType,
  };
}

function pageEntry(
  capture: CaptureRecord,
  detail: PageDetail,
  body: Buffer | null,
  pageref: string,
): HarEntry {
  const url = detail.finalUrl ?? capture.url ?? "";
  const headers = detail.headers ?? {};
  const failed = detail.error;
  const status = failed ? (failed.status ?? 0) : (detail.status ?? 200);
  return {
    pageref,
    startedDateTime: isoDate(capture.at),
    time: 0,
    request: pageRequest(url, detail),
    response: response(
      status,
      // The HTTP engine keeps no reason phrase: the standard one.
      STATUS_CODES[status] ?? "",
      "HTTP/1.1",
      headers,
      // The body was decoded to UTF-8 text by the crawl: it goes in as text whatever its type.
      body
        ? { size: body.length, mimeType: headers["content-type"] ?? "", text: body.toString("utf8") }
        : content(null, headers),
    ),
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _resourceType: "document",
    ...(failed && { _error: `${failed.reason}: ${failed.message}` }),
  };
}

/** The request of an HTTP page: a GET, or the POST of the body it recorded. */
function pageRequest(url: string, detail: PageDetail): HarEntry["request"] {
  if (!detail.request) return request("GET", url, "HTTP/1.1", [], 0);
  const { text } = detail.request;
  const mimeType = REQUEST_BODY_TYPES[detail.request.type];
  return { ...request("POST", url, "HTTP/1.1", [], Buffer.byteLength(text)), postData: { mimeType, text } };
}

function request(method: string, url: string, httpVersion: string, headers: HarPair[], bodySize: number) {
  return {
    method,
    url,
    httpVersion,
    cookies: [],
    headers,
    queryString: queryOf(url),
    headersSize: -1 as const,
    bodySize,
  };
}

function response(
  status: number,
  statusText: string,
  httpVersion: string,
  headers: Record<string, string>,
  body: HarEntry["response"]["content"],
) {
  return {
    status,
    statusText,
    httpVersion,
    cookies: [],
    headers: pairs(headers),
    content: body,
    redirectURL: headers.location ?? "",
    headersSize: -1 as const,
    bodySize: -1 as const,
  };
}

/** A body as HAR content: text when its media type is textual and it decodes, else base64. */
function content(body: Buffer | null, headers: Record<string, string>): HarEntry["response"]["content"] {
  const mimeType = headers["content-type"] ?? "";
  if (!body) return { size: 0, mimeType, comment: "body not recorded" };
  const text = TEXTUAL.test(mimeType) ? decode(body, charsetOf(mimeType)) : null;
  if (text !== null) return { size: body.length, mimeType, text };
  return { size: body.length, mimeType, text: body.toString("base64"), encoding: "base64" };
}

/** The body as text, or null when it does not decode (or the charset is unknown). */
function decode(body: Buffer, charset: string): string | null {
  try {
    return new TextDecoder(charset, { fatal: true }).decode(body);
  } catch {
    return null;
  }
}

function charsetOf(mimeType: string): string {
  return /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(mimeType)?.[1] ?? "utf-8";
}

function pairs(headers: Record<string, string> | undefined): HarPair[] {
  return headerPairs(headers).map(([name, value]) => ({ name, value }));
}

function queryOf(url: string): HarPair[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function isoDate(at: number): string {
  return new Date(at).toISOString();
}
