/**
 * A capture sink that takes the values a request's URL and body references were filled with back
 * out of what a browser page captures (its network responses, actions and screenshots' URLs and
 * messages), so that a recording keeps `{{secret.NAME}}` where the page showed the value.
 */
import type { CaptureSink, FetchCapture } from "./types.ts";
import type { WireRequest } from "./wire-template.ts";

/** `sink`, with every capture scrubbed of `wire`'s values before it is stored. */
export function scrubbingCapture(sink: CaptureSink, wire: WireRequest): CaptureSink {
  return {
    record: sink.record,
    network: sink.network,
    screenshotAll: sink.screenshotAll,
    add: (capture) => sink.add(scrubbed(capture, wire)),
  };
}

function scrubbed(capture: FetchCapture, wire: WireRequest): FetchCapture {
  const text = (value: string) => wire.scrub(value);
  const headers = (map: Record<string, string>) =>
    Object.fromEntries(Object.entries(map).map(([name, value]) => [name, text(value)]));
  switch (capture.kind) {
    case "response":
      return {
        ...capture,
        url: text(capture.url),
        pageUrl: text(capture.pageUrl),
        headers: headers(capture.headers),
        requestHeaders: headers(capture.requestHeaders),
        body: capture.body && wire.scrubBytes(capture.body),
      };
    case "page":
      return {
        ...capture,
        url: text(capture.url),
        ...(capture.finalUrl !== undefined && { finalUrl: text(capture.finalUrl) }),
        ...(capture.headers && { headers: headers(capture.headers) }),
        ...(capture.body !== undefined && { body: text(capture.body) }),
        ...(capture.error && { error: { ...capture.error, message: text(capture.error.message) } }),
      };
    case "action":
    case "screenshot":
      return {
        ...capture,
        pageUrl: text(capture.pageUrl),
        ...(capture.error !== undefined && { error: text(capture.error) }),
      };
  }
}
