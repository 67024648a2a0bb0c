/**
 * A bare HTTP endpoint for the metrics of a process without the API server (`trawl scheduler
 * --metrics-port`): `GET /metrics` with a bearer token, nothing else.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { observeError } from "./errors.ts";
import type { TrawlMetrics } from "./metrics.ts";

export interface MetricsEndpointOptions {
  metrics: TrawlMetrics;
  /** 0 picks a free port. */
  port: number;
  /** @defaultValue 127.0.0.1 (loopback only) */
  host?: string;
  /** Whether the bearer token of `Authorization: Bearer <token>` may read the metrics (undefined: none sent). */
  authorize(bearer: string | undefined): Promise<boolean>;
}

/** A listening endpoint: its address, and how to close it. */
export interface MetricsEndpoint {
  /** `http://127.0.0.1:9464` */
  url: string;
  close(): Promise<void>;
}

/** The API's answer to a request without a valid token (docs/errors.md), so scripts see one shape. */
const UNAUTHORIZED = JSON.stringify({
  statusCode: 401,
  code: "TRAWL_ERR_HTTP_UNAUTHORIZED",
  error: "Unauthorized",
  message: "send the access token: Authorization: Bearer <token> (see docs/metrics.md)",
});

/** Serves `GET /metrics`; rejects with `TRAWL_ERR_OBSERVE_LISTEN` when the port cannot be had. */
export async function serveMetrics(options: MetricsEndpointOptions): Promise<MetricsEndpoint> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((request, response) => {
    answer(options, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await listen(server, host, options.port);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(options: MetricsEndpointOptions, request: IncomingMessage, response: ServerResponse) {
  const path = (request.url ?? "/").split("?")[0];
  if (path !== "/metrics") return void response.writeHead(404).end();
  if (request.method !== "GET" && request.method !== "HEAD")
    return void response.writeHead(405, { allow: "GET, HEAD" }).end();
  const bearer = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  if (!(await options.authorize(bearer))) {
    response.writeHead(401, { "content-type": "application/json", "www-authenticate": "Bearer" });
    return void response.end(UNAUTHORIZED);
  }
  const text = await options.metrics.render();
  response.writeHead(200, { "content-type": options.metrics.contentType, "cache-control": "no-store" });
  response.end(request.method === "HEAD" ? undefined : text);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        observeError(
          "TRAWL_ERR_OBSERVE_LISTEN",
          { host, port, problem: error.code ?? error.message },
          { cause: error },
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
}
