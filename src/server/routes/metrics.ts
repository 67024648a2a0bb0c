/** `GET /metrics`: the process's metrics in the Prometheus text format (docs/metrics.md), guarded like the API. */
import type { FastifyInstance } from "fastify";
import type { TrawlMetrics } from "../../observe/index.ts";

/** Registers the route; the access check (access.ts) covers `/metrics` as it covers `/api`. */
export function metricsRoutes(fastify: FastifyInstance, metrics: TrawlMetrics): void {
  fastify.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    const text = await metrics.render();
    return reply.type(metrics.contentType).send(text);
  });
}
