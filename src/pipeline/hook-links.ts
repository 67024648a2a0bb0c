/**
 * The links a TypeScript `parse` hook returns: a GET of a URL, or a POST of a form or a JSON
 * document (as a start entry writes them), checked and turned into discovered links whose URL
 * and body are the request the queue dedupes.
 */
import { formBody, jsonBody, type FormValue, type RequestBody } from "../core/index.ts";
import { resolveUrl } from "../extract/index.ts";
import { ParseHookError } from "./errors.ts";
import type { DiscoveredLink } from "./types.ts";

/**
 * A link a `parse` hook returns. `url` may be relative to the page; `page` names a page type.
 * With `method: "POST"` it is POSTed with `form` (urlencoded, in field order) or `json` (sent as
 * `application/json`, object keys sorted), or an empty form without either.
 * A body without `method: "POST"`, both bodies, or a POST to a browser page type is an error
 * of the hook (`TRAWL_ERR_PIPELINE_PARSE_HOOK`).
 */
export interface HookLink {
  url: string;
  page: string;
  /** @defaultValue "GET" */
  method?: "GET" | "POST";
  form?: Readonly<Record<string, FormValue>>;
  json?: unknown;
  /** The body as sent, for a link handed on from another page's output; `form`/`json` are simpler. */
  body?: RequestBody;
}

/** Page types of the scraper: every name, and those loaded in the browser (never POSTed). */
export interface HookLinkTargets {
  names: ReadonlySet<string>;
  browser: ReadonlySet<string>;
}

/** The body a hook link POSTs; undefined for a GET. */
function bodyOf(link: HookLink, targets: HookLinkTargets): RequestBody | undefined {
  const given = (["form", "json", "body"] as const).filter((key) => link[key] !== undefined);
  const method = link.method ?? "GET";
  if (method !== "GET" && method !== "POST")
    throw new ParseHookError(`parse hook returned a link with method "${String(method)}" (GET or POST)`);
  if (method === "GET") {
    if (given.length === 0) return undefined;
    throw new ParseHookError(`parse hook returned a link with "${given[0]}" but no method: "POST"`);
  }
  if (given.length > 1)
    throw new ParseHookError(`parse hook returned a POST link with ${given.join(" and ")}: give one body`);
  if (targets.browser.has(link.page))
    throw new ParseHookError(
      `parse hook returned a POST link to page type "${link.page}", which uses the browser (POSTs are fetched over HTTP)`,
    );
  if (link.json !== undefined) return jsonBody(link.json);
  return link.body ?? formBody(link.form ?? {});
}

/** The hook's links, absolute and with their bodies; links whose URL does not resolve are dropped. */
export function hookLinks(
  links: readonly HookLink[],
  baseUrl: string,
  targets: HookLinkTargets,
): DiscoveredLink[] {
  const out: DiscoveredLink[] = [];
  for (const link of links) {
    if (!targets.names.has(link.page)) {
      throw new ParseHookError(`parse hook returned a link to unknown page type "${link.page}"`);
    }
    const body = bodyOf(link, targets);
    const url = resolveUrl(link.url, baseUrl);
    if (url !== null) out.push({ url, page: link.page, ...(body && { body }) });
  }
  return out;
}
