/**
 * `{{ secret.NAME }}` and `{{ env.NAME }}` in a request's URL and POST body (an API key in a query
 * string, a password in a search form). The queue, the store and every log keep the reference;
 * the fetcher fills the value in as the request goes out, and takes it back out of what comes in
 * (the final URL, headers, the body a page's links and records are read from) before anyone sees
 * it, so that a link echoing the key holds the reference again and is filled in when followed.
 *
 * A reference is only filled in for the hosts the definition wrote it for: a page cannot make
 * the crawl send a secret elsewhere by linking to `https://other.example/?k={{ secret.API_KEY }}`.
 */
import type { RequestBody } from "../core/index.ts";
import { resolveTemplate, type SecretSource } from "./env-template.ts";
import { FetchError } from "./errors.ts";
import { hostOf } from "./url.ts";

/**
 * A reference as a URL or a body carries it: braces and spaces as written, or percent-encoded (a
 * URL's path, a urlencoded form, where a space may also be `+`). Group 1: the kind; group 2: the name.
 */
const WIRE_REFERENCE =
  /(?:\{\{|%7B%7B)(?:\s|\+|%20)*(env|secret)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\s|\+|%20)*(?:\}\}|%7D%7D)/gi;

/** Values shorter than this are not searched for in responses: they would match by chance. */
const MIN_SCRUBBED_LENGTH = 4;

/** `secret.NAME` or `env.NAME`: a reference's key in {@link TemplateHosts}. */
export type TemplateKey = `${"secret" | "env"}.${string}`;

/** The hosts (as `hostOf` gives them) each reference of the definition's URLs and bodies may go to. */
export type TemplateHosts = Readonly<Record<TemplateKey, readonly string[]>>;

/** A request as it goes out, and how to take its values back out of what comes in. */
export interface WireRequest {
  url: string;
  body?: RequestBody | undefined;
  /** `text` with each value filled in replaced by its reference (`{{secret.NAME}}`). */
  scrub(text: string): string;
  /** The same for bytes (a browser response's body). */
  scrubBytes(bytes: Buffer): Buffer;
}

/** A reference as written in a definition, spaces allowed inside the braces. */
const WRITTEN_REFERENCE = /\{\{\s*(env|secret)\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;

/**
 * A start URL with its references written without spaces (`{{secret.NAME}}`), as a link a page
 * echoes the value in reads once scrubbed: one request, one identity in the queue.
 */
export function compactReferences(url: string): string {
  return url.includes("{{") ? url.replace(WRITTEN_REFERENCE, "{{$1.$2}}") : url;
}

/** Whether a URL or body holds a reference (a cheap test before the regular expression). */
function mayHoldReference(text: string): boolean {
  return text.includes("{{") || /%7B%7B/i.test(text);
}

/** The `secret.NAME`/`env.NAME` keys a URL or body text refers to. */
export function templateKeysIn(text: string): TemplateKey[] {
  if (!mayHoldReference(text)) return [];
  return [...text.matchAll(WIRE_REFERENCE)].map((m) => `${m[1]!.toLowerCase()}.${m[2]!}` as TemplateKey);
}

/**
 * The request to send for `url` and `body` as the queue holds them: references filled in
 * (percent-encoded in a URL and a form, JSON-escaped in a JSON body). `undefined` when neither
 * holds one (the common case, at the cost of a string search).
 *
 * @throws `FetchError` `bad_url` when a reference is not one the definition wrote for this host;
 * `TRAWL_ERR_FETCH_ENV_MISSING`/`TRAWL_ERR_FETCH_SECRET_MISSING` when its value is gone.
 */
export function wireRequest(
  url: string,
  body: RequestBody | undefined,
  hosts: TemplateHosts | undefined,
  secrets: SecretSource | undefined,
): WireRequest | undefined {
  const inUrl = mayHoldReference(url);
  const inBody = body !== undefined && mayHoldReference(body.text);
  if (!inUrl && !inBody) return undefined;
  const host = hostOf(url);
  const filled = new Map<string, string>();
  const fill = (text: string, encode: (value: string) => string) =>
    text.replace(WIRE_REFERENCE, (_whole, kind: string, name: string) => {
      const key = `${kind.toLowerCase()}.${name}` as TemplateKey;
      if (!hosts?.[key]?.includes(host)) {
        throw new FetchError(
          "bad_url",
          `the URL reads {{ ${key} }}, which the scraper only sends to ${describeHosts(hosts?.[key])}, not ${host}`,
          { url, retryable: false },
        );
      }
      const { value } = resolveTemplate(`{{ ${key} }}`, process.env, secrets);
      filled.set(value, `{{${key}}}`);
      return encode(value);
    });
  const sentUrl = inUrl ? fill(url, encodeURIComponent) : url;
  const sentBody = inBody
    ? { ...body, text: fill(body.text, body.type === "json" ? jsonEscape : encodeURIComponent) }
    : body;
  const replacements = scrubList(filled);
  return {
    url: sentUrl,
    body: sentBody,
    scrub(text) {
      let result = text;
      for (const [form, reference] of replacements)
        if (result.includes(form)) result = result.split(form).join(reference);
      return result;
    },
    scrubBytes(bytes) {
      let result = bytes;
      for (const [form, reference] of replacements) result = replaceBytes(result, form, reference);
      return result;
    },
  };
}

/**
 * What to search for and what replaces it: each value as is and percent-encoded, longest first
 * (a value inside another is replaced after it).
 */
function scrubList(references: ReadonlyMap<string, string>): [string, string][] {
  const list: [string, string][] = [];
  for (const [value, reference] of references) {
    if (value.length < MIN_SCRUBBED_LENGTH) continue;
    for (const form of new Set([value, encodeURIComponent(value)])) list.push([form, reference]);
  }
  return list.sort(([a], [b]) => b.length - a.length);
}

/** `bytes` with every occurrence of `text`'s UTF-8 bytes replaced by `replacement`'s. */
function replaceBytes(bytes: Buffer, text: string, replacement: string): Buffer {
  const needle = Buffer.from(text);
  let at = bytes.indexOf(needle);
  if (at === -1) return bytes;
  const parts: Buffer[] = [];
  let from = 0;
  for (; at !== -1; at = bytes.indexOf(needle, from)) {
    parts.push(bytes.subarray(from, at), Buffer.from(replacement));
    from = at + needle.length;
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

function jsonEscape(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

function describeHosts(hosts: readonly string[] | undefined): string {
  return hosts === undefined || hosts.length === 0 ? "no host" : hosts.join(", ");
}
