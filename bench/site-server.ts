/**
 * The bench's site, run as its own process by `demo-server.ts`: one catalogue shape on a free
 * loopback port, every answer held back `--latency` ms (a remote site's round trip), keep-alive
 * and `Content-Length` on every response. A 200 carries an `ETag` (its body's hash) and a request
 * whose `If-None-Match` names it gets a `304` (the revisit scenario, `revisit-bench.ts`).
 *
 * `node --import tsx bench/site-server.ts --shape forward|links --size N [--latency MS]
 * [--capacity C] [--throttle-above T]`, where N is books per category (forward: the demo bookshop
 * without faults) or products in all (links: `link-catalogue.ts`). With a capacity, at most C
 * requests are served at once (each for `--latency` ms) and the rest wait their turn: latency
 * rises with load (the autoscaling scenario, `autoscale-bench.ts`). With `--throttle-above T`, a
 * request arriving while T are being served gets a 429 at once. Prints `listening on
 * http://127.0.0.1:PORT` on stderr; SIGINT stops it.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { createBookshop } from "../src/demo/bookshop.ts";
import { notFound, type DemoResponse, type DemoRoutes } from "../src/demo/html.ts";
import { linkCatalogue, linkCatalogueRoutes } from "./link-catalogue.ts";

/** The two catalogue shapes of the bench. */
export type SiteShape = "forward" | "links";

const ROBOTS_TXT = "User-agent: *\nAllow: /\n";

function routesOf(shape: SiteShape, size: number): DemoRoutes {
  if (shape === "links") return linkCatalogueRoutes(linkCatalogue(size));
  return createBookshop({ seed: 1, faults: false, booksPerCategory: size });
}

function answer(routes: DemoRoutes, req: IncomingMessage): DemoResponse {
  const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
  if (path === "/robots.txt") return { status: 200, body: ROBOTS_TXT, contentType: "text/plain" };
  return routes(path, new URLSearchParams()) ?? notFound(path);
}

function send(req: IncomingMessage, res: ServerResponse, response: DemoResponse): void {
  if (res.destroyed) return;
  const body = Buffer.from(response.body, "utf8");
  const etag =
    response.status === 200 ? `"${createHash("sha1").update(body).digest("base64url")}"` : undefined;
  if (etag && req.headers["if-none-match"] === etag) return void res.writeHead(304, { ETag: etag }).end();
  res.writeHead(response.status, {
    ...(etag && { ETag: etag }),
    "Content-Type": response.contentType ?? "text/html; charset=utf-8",
    "Content-Length": body.length,
    ...response.headers,
  });
  res.end(body);
}

/**
 * Serving with at most `capacity` requests at once (0: no limit), each for `latencyMs`, the rest
 * queued in arrival order; past `throttleAbove` being served (0: never), a 429 at once. None when
 * neither is set.
 */
function servingSlots(capacity: number, throttleAbove: number, latencyMs: number) {
  if (capacity <= 0 && throttleAbove <= 0) return undefined;
  const waiting: (() => void)[] = [];
  let serving = 0;
  const start = (run: () => void) => {
    serving++;
    setTimeout(() => {
      run();
      serving--;
      waiting.shift()?.();
    }, latencyMs);
  };
  return (req: IncomingMessage, res: ServerResponse, response: DemoResponse) => {
    if (throttleAbove > 0 && serving >= throttleAbove) {
      return send(req, res, { status: 429, body: "slow down", contentType: "text/plain" });
    }
    const run = () => send(req, res, response);
    if (capacity <= 0 || serving < capacity) start(run);
    else waiting.push(() => start(run));
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      shape: { type: "string", default: "forward" },
      size: { type: "string" },
      latency: { type: "string", default: "0" },
      capacity: { type: "string", default: "0" },
      "throttle-above": { type: "string", default: "0" },
    },
  });
  const shape = values.shape as SiteShape;
  if (shape !== "forward" && shape !== "links")
    throw new Error(`--shape must be forward or links, not ${shape}`);
  const size = Number(values.size);
  const latency = Number(values.latency);
  if (!Number.isInteger(size) || size < 1) throw new Error("--size needs a positive integer");
  const routes = routesOf(shape, size);
  const serve = servingSlots(Number(values.capacity), Number(values["throttle-above"]), latency);
  const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    const response = answer(routes, req);
    if (serve) return serve(req, res, response);
    if (latency <= 0) return send(req, res, response);
    setTimeout(() => send(req, res, response), latency);
  });
  server.keepAliveTimeout = 10_000;
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    process.stderr.write(`listening on http://127.0.0.1:${port}\n`);
  });
  process.once("SIGINT", () => {
    server.close();
    server.closeAllConnections();
  });
}

main();
