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
  /** Sent as a POST with this body (its `Content-Type` already in `headers`); absent: a GET. */
  body?: string | undefined;
  maxBodyBytes: number;
  signal?: AbortSignal | undefined;
  /** Whether to keep the body of a response with this status (else it is discarded). */
  wantsBody(status: number, headers: Record<string, string>): boolean;
}

/**
 * GETs `url` (POSTs `body` to it, when given) within `budgetMs`. Rejects with a `FetchError`: `timeout` past the budget, `aborted`
 * when the signal aborts, `too_large` over the cap, and undici's failures classified by phase.
 */
export function dispatchHop(
  dispatcher: Dispatcher,
  url: string,
  options: HopOptions,
  budgetMs: number,
): Promise<HopResponse> {
  return new Promise<HopResponse>((resolve, reject) => {
    if (options.signal?.aborted) {
      const state = { timedOut: false, aborted: true, phase: "connect" as FetchPhase };
      return reject(toFetchError(options.signal.reason, { url, ...state }));
    }
    new HopExchange(url, options, resolve, reject).start(dispatcher, budgetMs);
  });
}

/**
 * The dispatch handler of one hop: collects the body it wants (through the decoders when it is
 * compressed), drops the one it does not, and settles once, on the response, the deadline, the
 * caller's signal or a failure.
 */
class HopExchange implements Dispatcher.DispatchHandler {
  private readonly state = { timedOut: false, aborted: false, phase: "connect" as FetchPhase };
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  private status = 0;
  private headers: Record<string, string> = {};
  private keep = false;
  private size = 0;
  private readonly chunks: Buffer[] = [];
  /** Set for a compressed body: the chunks go through the decoders. */
  private compressed: { source: Readable; read: Promise<Buffer> } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: () => void = noop;

  constructor(
    private readonly url: string,
    private readonly options: HopOptions,
    private readonly resolve: (response: HopResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  /** Arms the deadline and the signal, then sends the request. */
  start(dispatcher: Dispatcher, budgetMs: number): void {
    this.timer = setTimeout(
      () => {
        this.state.timedOut = true;
        this.abort(new Error("deadline"));
      },
      Math.max(0, budgetMs),
    );
    this.unsubscribe = onAbort(this.options.signal, (reason) => {
      this.state.aborted = true;
      this.abort(reason instanceof Error ? reason : new Error("aborted"));
    });
    let target: URL;
    try {
      target = new URL(this.url);
    } catch (error) {
      return this.finish(error);
    }
    try {
      dispatcher.dispatch(
        {
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: this.options.body === undefined ? "GET" : "POST",
          headers: this.options.headers,
          ...(this.options.body !== undefined && { body: this.options.body }),
        },
        this,
      );
    } catch (error) {
      this.finish(error); // a closed dispatcher, headers it refuses
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.settled) controller.abort(new Error("aborted"));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    raw: Record<string, string | string[] | undefined>,
  ): void {
    this.state.phase = "body";
    this.status = statusCode;
    this.headers = flattenHeaders(raw);
    this.keep = this.options.wantsBody(this.status, this.headers);
    if (this.keep && this.headers["content-encoding"] !== undefined) this.compressed = this.decodeThrough();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (!this.keep) {
      if (this.size > DISCARD_LIMIT) this.abort(new Error("unwanted body too long"));
      return;
    }
    if (this.compressed) {
      if (!this.compressed.source.push(chunk)) controller.pause();
      return;
    }
    if (this.size > this.options.maxBodyBytes) {
      return this.abort(tooLargeError(this.url, this.options.maxBodyBytes, "body"));
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    const { status, headers } = this;
    if (!this.keep) return this.finish(undefined, { status, headers, body: Buffer.alloc(0) });
    if (!this.compressed) {
      const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
      return this.finish(undefined, { status, headers, body });
    }
    this.compressed.source.push(null);
    this.compressed.read.then(
      (body) => this.finish(undefined, { status, headers, body }),
      (error: unknown) => this.finish(error),
    );
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.compressed?.source.destroy(error);
    this.finish(error);
  }

  private finish(error: unknown, response?: HopResponse): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.unsubscribe();
    if (response) this.resolve(response);
    else this.reject(toFetchError(error, { url: this.url, ...this.state }));
  }

  private abort(reason: Error): void {
    if (this.controller && !this.controller.aborted) this.controller.abort(reason);
    this.compressed?.source.destroy(reason);
    this.finish(reason);
  }

  /** A readable the dispatcher's chunks are pushed into, read through `readBody`'s decoders. */
  private decodeThrough(): { source: Readable; read: Promise<Buffer> } {
    const source = new Readable({ read: () => this.controller?.resume() });
    const read = readBody(source, this.headers["content-encoding"], this.options.maxBodyBytes, this.url).then(
      (r) => r.bytes,
    );
    // A decoder failure (a bomb over the cap, corrupt data) ends the request at once.
    read.catch((error: unknown) => {
      if (this.controller && !this.controller.aborted) this.controller.abort(error as Error);
      this.finish(error);
    });
    return { source, read };
  }
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

function noop(): void {}
