/** `GET /metrics`: the process's metrics in the Prometheus text format (docs/metrics.md), guarded like the API. */
import type { FastifyInstance } from "fastify";
import type { App } from "../../app/index.ts";
import { ACTIVE_RUN_STATUSES } from "../../core/contract/values.ts";
import type { HostRateSample, TrawlMetrics } from "../../observe/index.ts";

/** Registers the route; the access check (access.ts) covers `/metrics` as it covers `/api`. */
export function metricsRoutes(fastify: FastifyInstance, metrics: TrawlMetrics): void {
  fastify.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    const text = await metrics.render();
    return reply.type(metrics.contentType).send(text);
  });
}

/** The rate limiters of the runs this process executes: one sample per host and run. */
export async function hostRatesOf(app: App): Promise<HostRateSample[]> {
  const runs = await app.store.runs.list({ statuses: [...ACTIVE_RUN_STATUSES] });
  const samples: HostRateSample[] = [];
  for (const run of runs) {
    const hosts = app.engine.session(run.id)?.statsSnapshot().hosts ?? {};
    for (const [host, { rate }] of Object.entries(hosts))
      if (rate !== undefined) samples.push({ host, rate });
  }
  return samples;
}
