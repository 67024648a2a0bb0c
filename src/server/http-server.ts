/**
 * The Fastify instance of `trawl serve`: timeouts against slow clients, the guard on the Host
 * header, and every error answered as `{ statusCode, code, error, message }`.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify from "fastify";
import type { LogLevel } from "../core/index.ts";
import { describeError } from "../core/index.ts";
import { apiErrorOf } from "./api-error.ts";
import { serverError } from "./errors.ts";
import { guardRequest, type allowedAuthorities } from "./guard.ts";

/** How long a client may take to send a request. */
export interface RequestLimits {
  /** Its headers within this. @defaultValue 10000 */
  headersTimeoutMs?: number | undefined;
  /** The whole request within this. @defaultValue 30000 */
  requestTimeoutMs?: number | undefined;
}

/**
 * Creates the server, not yet listening. `authorities` is asked on every request: the Host
 * header values the guard lets through, known once the server listens.
 */
export function createHttpServer(
  limits: RequestLimits,
  log: (level: LogLevel, message: string) => void,
  authorities: () => ReturnType<typeof allowedAuthorities>,
) {
  const fastify = Fastify({
    logger: false,
    // Against slow clients (slowloris): headers within 10 s, the whole request within 30 s.
    requestTimeout: limits.requestTimeoutMs ?? 30_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 5_000,
    bodyLimit: 1024 * 1024,
    http: {
      headersTimeout: limits.headersTimeoutMs ?? 10_000,
      // Node looks for expired requests only this often (30 s by default, which defeats the above).
      connectionsCheckingInterval: Math.min(1000, (limits.headersTimeoutMs ?? 10_000) / 2),
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  fastify.addHook("onRequest", async (request) => guardRequest(request, authorities()));
  fastify.setErrorHandler((error, _request, reply) => {
    const body = apiErrorOf(error);
    if (body.statusCode >= 500) log("error", `${_request.method} ${_request.url}: ${describeError(error)}`);
    void reply.code(body.statusCode).send(body);
  });
  fastify.setNotFoundHandler((request, reply) => {
    const body = apiErrorOf(
      serverError("TRAWL_ERR_HTTP_NOT_FOUND", { method: request.method, url: request.url }),
    );
    void reply.code(body.statusCode).send(body);
  });
  return fastify;
}
