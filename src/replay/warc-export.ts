/**
 * A run's recording as a WARC 1.1 file (ISO 28500:2017), written record by record to a stream.
 * Records are made and serialized by `warcio` (webrecorder), which also sets `Content-Length`,
 * `WARC-Block-Digest` and `WARC-Payload-Digest` (SHA-256, lowercase base16 as the annotated
 * WARC 1.1 recommends for it: `sha256:9f86d0…`).
 */
import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Writable } from "node:stream";
import { WARCRecord, WARCSerializer, type WARCType } from "warcio";
import { REQUEST_BODY_TYPES } from "../core/index.ts";
import type { CaptureRecord } from "../store/index.ts";
import type { ActionDetail, PageDetail, ResponseDetail, ScreenshotDetail } from "./capture-detail.ts";
import {
  bodyOf,
  headerPairs,
  readCaptures,
  writeChunk,
  type ExportResult,
  type Recording,
} from "./read-captures.ts";

/** Options of {@link writeWarc}. */
export interface WarcExportOptions {
  /** Compress each record as its own gzip member (a `.warc.gz`). @defaultValue false */
  gzip?: boolean;
  /** The file name the `warcinfo` record names. @defaultValue none */
  filename?: string;
}

const WARC_VERSION = "WARC/1.1";
/** Headers that describe the body as it travelled; the stored body is decoded, so they are dropped. */
const TRANSFER_HEADERS: ReadonlySet<string> = new Set([
  "content-encoding",
  "content-length",
  "transfer-encoding",
]);
/** Document responses remembered for the `conversion` records of their rendered pages. */
const MAX_REMEMBERED_DOCUMENTS = 1000;

/**
 * Writes the recording as WARC 1.1: a `warcinfo` record, then for each capture in the order it
 * happened:
 * - an HTTP page: a `response` record of its status, headers and body (stored decoded to UTF-8,
 *   so `Content-Encoding` and `Transfer-Encoding` are dropped, `Content-Length` is the stored
 *   size and the `Content-Type` charset is `utf-8`), at its final URL after redirects; a page
 *   that answered a POST is preceded by a `request` record of the POST and its body;
 * - a browser page: a `conversion` record of the rendered DOM (`text/html`), with `WARC-Refers-To`
 *   the `response` record of its document when the network capture has it;
 * - a failed page: a `metadata` record with the reason;
 * - a browser network response: a `request` record (method, request headers; the request body is
 *   not recorded) and a `response` record with the body as the browser gave it (decoded);
 * - an action: a `metadata` record (`action`, `duration-ms`, `error`), and its screenshot, if any,
 *   as a `resource` record;
 * - a screenshot: a `resource` record `urn:trawl:screenshot:<page URL>`, `image/png`.
 *
 * Credential headers (`Authorization`, `Cookie`, `Set-Cookie`…) are written as `[redacted]`.
 * `out` is not ended. Resolves to the number of records written.
 */
export async function writeWarc(
  recording: Recording,
  out: Writable,
  options: WarcExportOptions = {},
): Promise<ExportResult> {
  const gzip = options.gzip ?? false;
  let records = 0;
  const write = async (record: WARCRecord) => {
    for await (const chunk of new WARCSerializer(record, { gzip })) await writeChunk(out, chunk);
    records++;
  };
  await write(warcinfo(recording, options.filename));
  const documents = new Map<string, string>();
  for await (const capture of readCaptures(recording)) {
    for (const record of await recordsOf(recording, capture, documents)) await write(record);
  }
  return { records };
}

function warcinfo(recording: Recording, filename: string | undefined): WARCRecord {
  const { run } = recording;
  return WARCRecord.createWARCInfo(
    { warcVersion: WARC_VERSION, ...(filename && { filename }) },
    {
      software: "trawl",
      format: "WARC File Format 1.1",
      conformsTo: "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
      isPartOf: run.id,
      description: `recording of run ${run.id} of scraper ${fieldValue(run.scraper)}`,
    },
  );
}

/** The records of one capture. `documents` maps document URLs to their response record's id. */
async function recordsOf(
  recording: Recording,
  capture: CaptureRecord,
  documents: Map<string, string>,
): Promise<WARCRecord[]> {
  const body = await bodyOf(recording, capture);
  switch (capture.kind) {
    case "page":
      return pageRecords(capture, capture.detail as unknown as PageDetail, body, documents);
    case "response":
      return responseRecords(capture, capture.detail as unknown as ResponseDetail, body, documents);
    case "action":
      return actionRecords(capture, capture.detail as unknown as ActionDetail, body);
    case "screenshot":
      return body ? [screenshotRecord(capture, capture.detail as unknown as ScreenshotDetail, body)] : [];
  }
}

function pageRecords(
  capture: CaptureRecord,
  detail: PageDetail,
  body: Buffer | null,
  documents: Map<string, string>,
): WARCRecord[] {
  const url = detail.finalUrl ?? capture.url ?? "";
  if (detail.error || !body) {
    const error = detail.error;
    const failed = makeRecord(
      "metadata",
      url,
      capture.at,
      {},
      fields({
        "fetch-error-reason": error?.reason ?? "no body",
        "fetch-error-message": error?.message,
        "fetch-status": error?.status ?? detail.status,
      }),
    );
    return [failed];
  }
  if (detail.engine === "browser") {
    const document = documents.get(url);
    documents.delete(url);
    const dom = makeRecord(
      "conversion",
      url,
      capture.at,
      { "Content-Type": "text/html; charset=utf-8", ...(document && { "WARC-Refers-To": document }) },
      body,
    );
    return [dom];
  }
  const responseId = recordId();
  const response = WARCRecord.create(
    {
      url,
      date: warcDate(capture.at),
      type: "response",
      warcVersion: WARC_VERSION,
      warcHeaders: { "WARC-Record-ID": responseId },
      statusline: statusLine(detail.status ?? 200, ""),
      httpHeaders: httpHeaders(detail.headers, body.length, true),
    },
    [body],
  );
  const posted = detail.request && URL.canParse(capture.url ?? url);
  return posted ? [postRecord(capture, detail.request!, url, responseId), response] : [response];
}

/**
 * The POST an HTTP page answered: a `request` record of its method, URL and body (a form or a
 * JSON document, with its `Content-Type`), concurrent to the response when it was not
 * redirected (a 303 after a POST answers a GET of another URL). The request headers the fetcher
 * sent are not recorded (they may hold credentials): only those that describe the body.
 */
function postRecord(
  capture: CaptureRecord,
  request: NonNullable<PageDetail["request"]>,
  responseUrl: string,
  responseId: string,
): WARCRecord {
  const url = capture.url ?? responseUrl;
  const target = new URL(url);
  const body = Buffer.from(request.text);
  return WARCRecord.create(
    {
      url,
      date: warcDate(capture.at),
      type: "request",
      warcVersion: WARC_VERSION,
      warcHeaders: {
        "WARC-Record-ID": recordId(),
        ...(url === responseUrl && { "WARC-Concurrent-To": responseId }),
      },
      statusline: `POST ${target.pathname}${target.search} HTTP/1.1`,
      httpHeaders: [
        ["host", target.host],
        ["content-type", REQUEST_BODY_TYPES[request.type]],
        ["content-length", String(body.length)],
      ],
    },
    [body],
  );
}

function responseRecords(
  capture: CaptureRecord,
  detail: ResponseDetail,
  body: Buffer | null,
  documents: Map<string, string>,
): WARCRecord[] {
  const url = capture.url ?? "";
  const responseId = recordId();
  if (detail.resourceType === "document") {
    documents.set(url, responseId);
    if (documents.size > MAX_REMEMBERED_DOCUMENTS) documents.delete(documents.keys().next().value!);
  }
  const response = WARCRecord.create(
    {
      url,
      date: warcDate(capture.at),
      type: "response",
      warcVersion: WARC_VERSION,
      warcHeaders: { "WARC-Record-ID": responseId },
      statusline: statusLine(detail.status, detail.statusText),
      httpHeaders: httpHeaders(detail.headers, body?.length ?? 0, false),
    },
    body ? [body] : undefined,
  );
  const request = requestRecord(url, capture.at, detail, responseId);
  return request ? [request, response] : [response];
}

/** The request a response answered, without its body (the browser's capture keeps none). */
function requestRecord(url: string, at: number, detail: ResponseDetail, responseId: string) {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return null;
  }
  const headers = headerPairs(detail.requestHeaders).filter(([name]) => !name.startsWith(":"));
  if (!headers.some(([name]) => name.toLowerCase() === "host")) headers.unshift(["host", target.host]);
  return WARCRecord.create({
    url,
    date: warcDate(at),
    type: "request",
    warcVersion: WARC_VERSION,
    warcHeaders: { "WARC-Record-ID": recordId(), "WARC-Concurrent-To": responseId },
    statusline: `${detail.method} ${target.pathname}${target.search} HTTP/1.1`,
    httpHeaders: headers,
  });
}

function actionRecords(
  capture: CaptureRecord,
  detail: ActionDetail,
  screenshot: Buffer | null,
): WARCRecord[] {
  const metadataId = recordId();
  const metadata = makeRecord(
    "metadata",
    capture.url ?? "",
    capture.at,
    { "WARC-Record-ID": metadataId },
    fields({ action: detail.action, "duration-ms": detail.durationMs, error: detail.error }),
  );
  if (!screenshot) return [metadata];
  const image = makeRecord(
    "resource",
    screenshotUri(capture),
    capture.at,
    { "Content-Type": "image/png", "WARC-Concurrent-To": metadataId },
    screenshot,
  );
  return [metadata, image];
}

function screenshotRecord(capture: CaptureRecord, detail: ScreenshotDetail, image: Buffer): WARCRecord {
  const reason = { "WARC-Trawl-Screenshot-Reason": detail.reason };
  return makeRecord(
    "resource",
    screenshotUri(capture),
    capture.at,
    { "Content-Type": "image/png", ...reason },
    image,
  );
}

function screenshotUri(capture: CaptureRecord): string {
  return `urn:trawl:screenshot:${capture.url ?? capture.runId}`;
}

/** A record without HTTP headers (metadata, resource, conversion). */
function makeRecord(
  type: WARCType,
  url: string,
  at: number,
  warcHeaders: Record<string, string>,
  block: Uint8Array,
): WARCRecord {
  return WARCRecord.create(
    {
      ...(url && { url }),
      date: warcDate(at),
      type,
      warcVersion: WARC_VERSION,
      warcHeaders: { "WARC-Record-ID": recordId(), ...warcHeaders },
    },
    [block],
  );
}

/**
 * The HTTP headers of a response record: credentials redacted, HTTP/2 pseudo-headers and the
 * headers of the transfer dropped, `Content-Length` the stored body's size; `utf8`: the body
 * was decoded to UTF-8, so the `Content-Type` says so.
 */
function httpHeaders(
  headers: Record<string, string> | undefined,
  bodyLength: number,
  utf8: boolean,
): [string, string][] {
  const pairs = headerPairs(headers)
    .filter(([name]) => !name.startsWith(":") && !TRANSFER_HEADERS.has(name.toLowerCase()))
    .map(([name, value]): [string, string] => [
      name,
      utf8 && name.toLowerCase() === "content-type" ? withUtf8Charset(value) : value,
    ]);
  return [...pairs, ["content-length", String(bodyLength)]];
}

/** `text/html; charset=iso-8859-1` → `text/html; charset=utf-8`. */
export function withUtf8Charset(contentType: string): string {
  const [mime = "", ...params] = contentType.split(";").map((part) => part.trim());
  const kept = params.filter((param) => param !== "" && !/^charset\s*=/i.test(param));
  return [mime, ...kept, "charset=utf-8"].join("; ");
}

function statusLine(status: number, statusText: string): string {
  return `HTTP/1.1 ${status} ${statusText || STATUS_CODES[status] || ""}`.trimEnd();
}

/** An `application/warc-fields` block; fields without a value are left out. */
function fields(values: Record<string, string | number | undefined>): Uint8Array {
  const lines = Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}: ${fieldValue(String(value))}\r\n`);
  return Buffer.from(lines.join(""));
}

/** One line: a field value never breaks the record's framing. */
function fieldValue(value: string): string {
  return value.replace(/[\r\n]+/g, " ");
}

function warcDate(at: number): string {
  return new Date(at).toISOString();
}

function recordId(): string {
  return `<urn:uuid:${randomUUID()}>`;
}
