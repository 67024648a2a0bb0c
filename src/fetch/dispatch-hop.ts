/**
 * One HTTP request/response through undici's dispatch API: the body is collected straight from
 * the socket's chunks (a compressed one goes through the zlib decoders), the deadline and the
 * caller's signal abort through the dispatch controller. `request()` would add an
 * AbortController, a Readable and its async iteration to every page, a measurable share of a
 * fast crawl.
 */
import { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { readBody } from "./body-reader.ts";
import { toFetchError, tooLargeError } from "./errors.ts";
import type { FetchPhase } from "./errors.ts";
import { onAbort } from "./abort-listeners.ts";

/** A response whose body was read (or discarded: redirects, error statuses). */
export interface HopResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with `, ` (`set-cookie` with `\n`). */
  headers: Record<string, string>;
  /** The decompressed body; empty when discarded. */
  body: Buffer;
}

/** Bytes of an unwanted body read before the connection is dropped instead (as undici's `dump`). */
const DISCARD_LIMIT = 128 * 1024;

export interface HopOptions {
  headers: Record<string, string>;
  maxBodyBytes: number;
  signal?: AbortSignal | undefined;
  /** Whether to keep the body of a response with this status (else it is discarded). */
  wantsBody(status: number, headers: Record<string, string>): boolean;
}

/**
 * GETs `url` within `budgetMs`. Rejects with a `FetchError`: `timeout` past the budget, `aborted`
 * when the signal aborts, `too_large` over the cap, and undici's failures classified by phase.
 */
export function dispatchHop(
  dispatcher: Dispatcher,
  url: string,
  options: HopOptions,
  budgetMs: number,
): Promise<HopResponse> {
  return new Promise<HopResponse>((resolve, reject) => {
    const state = { timedOut: false, aborted: false, phase: "connect" as FetchPhase };
    if (options.signal?.aborted) {
      state.aborted = true;
      return reject(toFetchError(options.signal.reason, { url, ...state }));
    }
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let status = 0;
    let headers: Record<string, string> = {};
    let keep = false;
    let size = 0;
    const chunks: Buffer[] = [];
    /** Set for a compressed body: the chunks go through the decoders. */
    let compressed: { source: Readable; read: Promise<Buffer> } | undefined;

    const finish = (error: unknown, response?: HopResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      if (response) resolve(response);
      else reject(toFetchError(error, { url, ...state }));
    };
    const abort = (reason: Error) => {
      if (controller && !controller.aborted) controller.abort(reason);
      compressed?.source.destroy(reason);
      finish(reason);
    };
    const timer = setTimeout(
      () => {
        state.timedOut = true;
        abort(new Error("deadline"));
      },
      Math.max(0, budgetMs),
    );
    const unsubscribe = onAbort(options.signal, (reason) => {
      state.aborted = true;
      abort(reason instanceof Error ? reason : new Error("aborted"));
    });

    let target: URL;
    try {
      target = new URL(url);
    } catch (error) {
      return finish(error);
    }
    try {
      dispatch(target);
    } catch (error) {
      finish(error); // a closed dispatcher, headers it refuses
    }

    function dispatch(target: URL): void {
      dispatcher.dispatch(
        {
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: "GET",
          headers: options.headers,
        },
        {
          onRequestStart(dispatch) {
            controller = dispatch;
            if (settled) dispatch.abort(new Error("aborted"));
          },
          onResponseStart(_dispatch, statusCode, raw) {
            state.phase = "body";
            status = statusCode;
            headers = flattenHeaders(raw);
            keep = options.wantsBody(status, headers);
            if (keep && headers["content-encoding"] !== undefined)
              compressed = decodeThrough(headers, options, url);
          },
          onResponseData(dispatch, chunk) {
            if (settled) return;
            size += chunk.length;
            if (!keep) {
              if (size > DISCARD_LIMIT) abort(new Error("unwanted body too long"));
              return;
            }
            if (compressed) {
              if (!compressed.source.push(chunk)) dispatch.pause();
              return;
            }
            if (size > options.maxBodyBytes) {
              return abort(tooLargeError(url, options.maxBodyBytes, "body"));
            }
            chunks.push(chunk);
          },
          onResponseEnd() {
            if (settled) return;
            if (!keep) return finish(undefined, { status, headers, body: Buffer.alloc(0) });
            if (!compressed) {
              const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
              return finish(undefined, { status, headers, body });
            }
            compressed.source.push(null);
            compressed.read.then(
              (body) => finish(undefined, { status, headers, body }),
              (error: unknown) => finish(error),
            );
          },
          onResponseError(_dispatch, error) {
            compressed?.source.destroy(error);
            finish(error);
          },
        },
      );
    }

    /** A readable the dispatcher's chunks are pushed into, read through `readBody`'s decoders. */
    function decodeThrough(raw: Record<string, string>, hop: HopOptions, page: string) {
      const source = new Readable({ read: () => controller?.resume() });
      const read = readBody(source, raw["content-encoding"], hop.maxBodyBytes, page).then((r) => r.bytes);
      // A decoder failure (a bomb over the cap, corrupt data) ends the request at once.
      read.catch((error: unknown) => {
        if (controller && !controller.aborted) controller.abort(error as Error);
        finish(error);
      });
      return { source, read };
    }
  });
}

/** Lower-cased names; repeated headers joined with `, ` (`set-cookie` with `\n`, as it may hold commas). */
function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined) continue;
    const key = name.toLowerCase();
    headers[key] = Array.isArray(value) ? value.join(key === "set-cookie" ? "\n" : ", ") : value;
  }
  return headers;
}
