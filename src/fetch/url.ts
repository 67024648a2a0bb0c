/**
 * URL normalisation: one canonical string per page, used both to fetch and as the dedupe key.
 */

/**
 * Resolves `raw` against `base` and normalises it, or returns `null` when it is not a valid
 * absolute http(s) URL.
 *
 * Normalisation: scheme and host lower-cased (WHATWG URL parsing does this, and turns IDN hosts
 * into punycode); default ports (80/443) dropped; the fragment dropped; an empty path becomes `/`;
 * the path is otherwise kept as is (case and trailing slash matter to servers); query parameters
 * are sorted by name, each keeping its original encoding (stable: repeated names keep their order) so that `?b=1&a=2` and
 * `?a=2&b=1` dedupe to one page. Sorting can in rare cases change what a server returns (order-
 * sensitive parameters); that is the accepted price of a stable key. An empty query (`?`) is
 * dropped. Leading/trailing whitespace in `raw` is ignored, as browsers do.
 */
export function normalizeUrl(raw: string, base?: string): string | null {
  let url: URL;
  try {
    url = base === undefined ? new URL(raw.trim()) : new URL(raw.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.hostname === "") return null;
  // Each setter re-serialises the whole URL: skip those that would change nothing (an empty `?`
  // or `#` reads as "" but is still in `href`).
  if (url.hash !== "" || url.href.endsWith("#")) url.hash = "";
  const query = sortQuery(url.search);
  if (query !== url.search || (query === "" && url.href.includes("?"))) url.search = query;
  return url.href;
}

/** Sorts `&`-separated query parts by name, keeping each part's original encoding. */
function sortQuery(search: string): string {
  const parts = search
    .replace(/^\?/, "")
    .split("&")
    .filter((part) => part !== "");
  if (parts.length === 0) return "";
  const keyed = parts.map((part, index) => ({ part, index, key: part.split("=", 1)[0] ?? "" }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
  return `?${keyed.map((entry) => entry.part).join("&")}`;
}

/** Hosts by `scheme://authority`: a crawl meets few hosts and asks for each one many times. */
const hosts = new Map<string, string>();
const MAX_HOSTS = 1000;

/**
 * The rate-limit and robots key of a URL: the lower-cased host name plus the port when it is not
 * the scheme's default (`example.com`, `127.0.0.1:8080`). Returns `""` for an unparsable URL.
 */
export function hostOf(url: string): string {
  const key = authorityPrefix(url);
  if (key === null) return parsedHost(url);
  let host = hosts.get(key);
  if (host === undefined) {
    // The host depends only on the scheme and the authority: parse just those.
    host = parsedHost(`${key}/`);
    if (hosts.size >= MAX_HOSTS) hosts.clear();
    hosts.set(key, host);
  }
  return host;
}

/**
 * `http://authority` or `https://authority` of a URL written in that exact form (else null): the
 * authority ends where the WHATWG parser ends it for these schemes, at `/`, `\`, `?` or `#`.
 */
function authorityPrefix(url: string): string | null {
  const start = url.startsWith("http://") ? 7 : url.startsWith("https://") ? 8 : -1;
  if (start < 0) return null;
  AUTHORITY.lastIndex = start;
  AUTHORITY.exec(url);
  const end = AUTHORITY.lastIndex;
  // Controls and spaces are stripped or rejected depending on where they are: let URL decide.
  if (end < url.length && url.charCodeAt(end) <= 0x20) return null;
  return url.slice(0, end);
}

/** Everything up to the end of an authority, or to a control or space. Sticky: starts at lastIndex. */
// eslint-disable-next-line no-control-regex
const AUTHORITY = /[^/\\?#\x00-\x20]*/y;

function parsedHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}
