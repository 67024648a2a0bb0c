/**
 * The demo site's tiny response vocabulary and HTML helpers. Routes return plain
 * `DemoResponse` objects; only `demo-site.ts` touches sockets.
 */

/** What a demo route answers. */
export interface DemoResponse {
  status: number;
  body: string;
  /** @defaultValue `"text/html; charset=utf-8"` */
  contentType?: string;
  /** Extra response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** Hold the response back this long, to imitate a slow page. */
  delayMs?: number;
}

/**
 * A group of routes. Returns `undefined` when the path is not one of its own, so groups can be
 * chained; returns a 404 response for its own paths that name nothing (an unknown sku).
 */
export type DemoRoutes = (path: string, query: URLSearchParams) => DemoResponse | undefined;

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** A complete, well-formed HTML document. */
export function htmlDocument(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<title>${escapeHtml(title)}</title>\n</head>\n<body>\n${body}\n</body>\n</html>\n`
  );
}

/** A 200 HTML response. */
export function htmlResponse(title: string, body: string): DemoResponse {
  return { status: 200, body: htmlDocument(title, body) };
}

/** A 404 HTML response naming the path. */
export function notFound(path: string): DemoResponse {
  return { status: 404, body: htmlDocument("Not found", `<h1>Not found</h1>\n<p>${escapeHtml(path)}</p>`) };
}

/** A permanent redirect. */
export function redirect(location: string): DemoResponse {
  return { status: 301, body: "", headers: { Location: location } };
}

/**
 * Parses a 1-based page number (`"3"`); `undefined` for anything else (`"0"`, `"03"`, `"x"`).
 * A missing value counts as page 1.
 */
export function parsePageNumber(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined) return 1;
  return /^[1-9]\d{0,8}$/.test(text) ? Number(text) : undefined;
}
