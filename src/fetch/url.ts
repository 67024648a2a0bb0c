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
  url.hash = "";
  url.search = sortQuery(url.search);
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

/**
 * The rate-limit and robots key of a URL: the lower-cased host name plus the port when it is not
 * the scheme's default (`example.com`, `127.0.0.1:8080`). Returns `""` for an unparsable URL.
 */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}
