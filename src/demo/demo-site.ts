/**
 * The bundled demo site: the bookshop at `/` (and as JSON under `/api/books`, as sitemaps at
 * `/sitemap.xml` and an RSS feed at `/feed.xml`), the job board under
 * `/jobs-board/`, a home page, `/robots.txt` (all allowed but `/admin`) and `/admin` itself. Plain
 * `node:http`, content derived from a seed, keep-alive on and `Content-Length` on every response,
 * so it can serve a benchmark; an `ETag` on every `200`, and `304` to a conditional GET naming it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { z } from "zod";
import { createBookApi } from "./book-api.ts";
import { answerBookMembers } from "./book-members.ts";
import { answerBookSearch } from "./book-search.ts";
import { createBookFeeds } from "./book-feeds.ts";
import { BOOK_CATEGORIES } from "./book-catalog.ts";
import { createBookshop } from "./bookshop.ts";
import { startDemoProxy, type DemoProxy } from "./demo-proxy.ts";
import { DemoOptionsError } from "./errors.ts";
import { htmlResponse, notFound, type DemoResponse, type DemoRoutes } from "./html.ts";
import { createJobBoard, JOB_BOARD_PREFIX } from "./job-board.ts";
import { hostInUrl, listen } from "./listen.ts";
import { entityTag, isNotModified } from "./validators.ts";

/** Options of {@link startDemoSite}. Unknown keys are rejected. */
export interface DemoSiteOptions {
  /** TCP port; `0` picks a free one. @defaultValue 8080 */
  port?: number;
  /**
   * TCP port of the demo's forward proxy (see {@link DemoSite.proxyUrl}); `0` picks a free one.
   * @defaultValue `port + 1` (8081), or `0` when `port` is `0`
   */
  proxyPort?: number;
  /** Interface to listen on. @defaultValue "127.0.0.1" */
  host?: string;
  /** Books in each of the four categories (10 per list page). @defaultValue 60 */
  booksPerCategory?: number;
  /** Companies on the job board (12–30 jobs each). @defaultValue 5 */
  companies?: number;
  /** Serve the deliberate imperfections (missing prices, 429s, slow pages…). @defaultValue true */
  faults?: boolean;
  /** Seed of all generated content; the same seed serves the same site. @defaultValue 1 */
  seed?: number;
}

/** A running demo site. */
export interface DemoSite {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  /**
   * The demo's forward proxy, `http://127.0.0.1:8081` by default (no credentials in it): user
   * `demo`, password `DEMO_PROXY_PASSWORD`; it goes only to this site.
   */
  proxyUrl: string;
  /** Stops listening (the site and its proxy) and drops open connections (and pending slow responses). Idempotent. */
  close(): Promise<void>;
  /**
   * Requests answered or in progress since start (including 404s and 429s), and requests and
   * tunnels the proxy was asked for.
   */
  stats(): { requests: number; proxied: number };
}

const optionsSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(8080),
    proxyPort: z.number().int().min(0).max(65535).optional(), // default: see DemoSiteOptions
    host: z.string().min(1).default("127.0.0.1"),
    booksPerCategory: z.number().int().min(0).max(9_999_999).default(60),
    companies: z.number().int().min(0).max(10_000).default(5),
    faults: z.boolean().default(true),
    seed: z.number().int().default(1),
  })
  .strict();

const ROBOTS_TXT = "User-agent: *\nDisallow: /admin\nAllow: /\n";

/**
 * Starts the demo site and resolves once it listens.
 * @throws DemoOptionsError on invalid options; DemoListenError when the port (or the proxy's) is taken.
 */
export async function startDemoSite(options: DemoSiteOptions = {}): Promise<DemoSite> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || (issue && "keys" in issue ? String(issue.keys) : "options");
    throw new DemoOptionsError(`invalid demo site option ${where}: ${issue?.message ?? "invalid"}`, {
      cause: parsed.error,
      details: { field: where },
    });
  }
  const config = parsed.data;
  const routes = siteRoutes(config);
  const state = { requests: 0, timers: new Set<NodeJS.Timeout>() };
  const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    state.requests++;
    const catalog = { seed: config.seed, faults: config.faults, booksPerCategory: config.booksPerCategory };
    // These two read the request itself (its body; its headers and cookies), not only its path.
    if (answerBookSearch(catalog, req, res) || answerBookMembers(catalog, req, res)) return;
    handle(routes, req, res, state.timers);
  });
  server.keepAliveTimeout = 10_000;
  const port = await listen(server, config.port, config.host);
  const url = `http://${hostInUrl(config.host)}:${port}`;
  let proxy: DemoProxy;
  try {
    const proxyPort = config.proxyPort ?? (config.port === 0 ? 0 : config.port + 1);
    proxy = await startDemoProxy(proxyPort, config.host, new URL(url));
  } catch (error) {
    await shutdown(server, state.timers);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    proxyUrl: proxy.url,
    stats: () => ({ requests: state.requests, proxied: proxy.requests() }),
    close: () => (closing ??= Promise.all([shutdown(server, state.timers), proxy.close()]).then(() => {})),
  };
}

function siteRoutes(config: z.infer<typeof optionsSchema>): DemoRoutes[] {
  const { seed, faults } = config;
  return [
    createJobBoard({ seed, faults, companies: config.companies }),
    createBookshop({ seed, faults, booksPerCategory: config.booksPerCategory }),
    createBookApi({ seed, faults, booksPerCategory: config.booksPerCategory }),
    createBookFeeds({ seed, faults, booksPerCategory: config.booksPerCategory }),
    siteRootRoutes,
  ];
}

/** The home page, robots.txt and the disallowed admin page. */
const siteRootRoutes: DemoRoutes = (path) => {
  if (path === "/robots.txt")
    return { status: 200, body: ROBOTS_TXT, contentType: "text/plain; charset=utf-8" };
  if (path === "/admin" || path.startsWith("/admin/")) {
    return htmlResponse("Admin", "<h1>Admin</h1>\n<p>Crawlers that obey robots.txt never see this page.</p>");
  }
  if (path !== "/") return undefined;
  const categories = BOOK_CATEGORIES.map((c) => `<li><a href="/${c}/page/1">${c}</a></li>`).join("\n");
  return htmlResponse(
    "trawl demo site",
    `<h1>trawl demo site</h1>\n<h2>Bookshop</h2>\n<ul class="categories">\n${categories}\n</ul>\n` +
      `<h2>Jobs</h2>\n<p><a href="${JOB_BOARD_PREFIX}/">job board</a></p>\n<footer><a href="/admin">admin</a></footer>`,
  );
};

function route(routes: DemoRoutes[], req: IncomingMessage): DemoResponse {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return {
      status: 405,
      body: "method not allowed\n",
      contentType: "text/plain",
      headers: { Allow: "GET, HEAD" },
    };
  }
  const url = new URL(req.url ?? "/", "http://demo.invalid");
  for (const routesOf of routes) {
    const response = routesOf(url.pathname, url.searchParams);
    if (response) return response;
  }
  return notFound(url.pathname);
}

function handle(
  routes: DemoRoutes[],
  req: IncomingMessage,
  res: ServerResponse,
  timers: Set<NodeJS.Timeout>,
): void {
  let response: DemoResponse;
  try {
    response = route(routes, req);
  } catch (error) {
    // A bug in a page generator must not take the site down mid-benchmark.
    response = { status: 500, body: `internal error: ${String(error)}\n`, contentType: "text/plain" };
  }
  if (!response.delayMs) return send(req, res, response);
  const timer = setTimeout(() => {
    timers.delete(timer);
    send(req, res, response);
  }, response.delayMs);
  timers.add(timer);
  res.once("close", () => {
    clearTimeout(timer);
    timers.delete(timer);
  });
}

function send(req: IncomingMessage, res: ServerResponse, response: DemoResponse): void {
  if (res.destroyed) return;
  const body = Buffer.from(response.body, "utf8");
  const etag = response.status === 200 ? entityTag(body) : undefined;
  if (etag && isNotModified(req.headers, etag)) return void res.writeHead(304, { ETag: etag }).end();
  res.writeHead(response.status, {
    "Content-Type": response.contentType ?? "text/html; charset=utf-8",
    "Content-Length": body.length,
    ...(etag && { ETag: etag }),
    ...response.headers,
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

async function shutdown(server: Server, timers: Set<NodeJS.Timeout>): Promise<void> {
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
