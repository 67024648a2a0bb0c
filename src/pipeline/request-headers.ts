/**
 * Headers and cookies a definition sends: `headers:` on the scraper, a target and a page type
 * (merged, the most specific wins, names in any case), and the scraper's `cookies:`. Values may
 * read `{{ env.NAME }}`; the fetch layer fills them in when a request goes out, so a token stays
 * out of the definition's hash, the run's logs, records and recordings.
 */
import { z } from "zod";
import { envNamesIn, secretNamesIn } from "../fetch/index.ts";
import { templateSchema } from "./template.ts";

/** Headers trawl sets itself, from the request and its body: a definition may not. */
const MANAGED = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
]);

/** `headers:` – header name (an HTTP token) → value. */
export const headerMapSchema = z.record(
  z
    .string()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "expected a header name (letters, digits and !#$%&'*+.^_`|~-)")
    .refine((name) => !MANAGED.has(name.toLowerCase()), "trawl sets this header itself"),
  templateSchema.refine((value) => !/[\r\n]/.test(value), "a header value cannot hold a line break"),
);

/** `cookies:` – cookie name → value, sent as one `Cookie` header. */
export const cookieMapSchema = z.record(
  z
    .string()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "expected a cookie name (letters, digits and !#$%&'*+.^_`|~-)"),
  templateSchema.refine((value) => !/[;\r\n]/.test(value), "a cookie value cannot hold ';' or a line break"),
);

type HeaderMap = Record<string, string>;

/** What the definition says, level by level. */
export interface HeaderLevels {
  scraper?: HeaderMap;
  cookies?: HeaderMap;
  targets: Record<string, HeaderMap | undefined>;
  pages: Record<string, HeaderMap | undefined>;
}

/**
 * The headers of each (target, page type) pair, merged once when the scraper is compiled: every
 * request of a pair shares one object (the fetch layer resolves its templates once).
 */
export class RequestHeaders {
  private readonly merged = new Map<string, Readonly<HeaderMap>>();
  /** The environment variables the headers and cookies read. */
  readonly envNames: readonly string[];
  /** The secrets the headers and cookies read. */
  readonly secretNames: readonly string[];

  constructor(private readonly levels: HeaderLevels) {
    const values = [
      levels.scraper,
      levels.cookies,
      ...Object.values(levels.targets),
      ...Object.values(levels.pages),
    ].flatMap((map) => Object.values(map ?? {}));
    this.envNames = [...new Set(values.flatMap(envNamesIn))];
    this.secretNames = [...new Set(values.flatMap(secretNamesIn))];
  }

  /** The headers of a request of `target` for a page of `pageType`; undefined when there are none. */
  for(target: string, pageType: string): Readonly<HeaderMap> | undefined {
    const key = `${target}\n${pageType}`;
    if (!this.merged.has(key)) this.merged.set(key, this.merge(target, pageType));
    const headers = this.merged.get(key)!;
    return Object.keys(headers).length > 0 ? headers : undefined;
  }

  private merge(target: string, pageType: string): HeaderMap {
    const { scraper, cookies, targets, pages } = this.levels;
    const merged: HeaderMap = {};
    // Lower-cased names, so that `Accept` on a page type replaces `accept` on the scraper.
    for (const map of [scraper, targets[target], pages[pageType]])
      for (const [name, value] of Object.entries(map ?? {})) merged[name.toLowerCase()] = value;
    const cookie = Object.entries(cookies ?? {}).map(([name, value]) => `${name}=${value}`);
    if (cookie.length > 0) merged.cookie = [merged.cookie, ...cookie].filter(Boolean).join("; ");
    return Object.freeze(merged);
  }

  /** Whether the definition names any header or cookie at all. */
  static any(levels: HeaderLevels): boolean {
    return [
      levels.scraper,
      levels.cookies,
      ...Object.values(levels.targets),
      ...Object.values(levels.pages),
    ].some((map) => map !== undefined && Object.keys(map).length > 0);
  }
}
