import { cpus, freemem, loadavg, totalmem } from "node:os";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { App } from "../../app/index.ts";
import {
  HealthSamplesSchema,
  HealthSchema,
  type Health,
  type HealthSamples,
} from "../../core/contract/health.ts";
import { TRAWL_VERSION } from "../../core/index.ts";
import { schedulerStatus } from "../../scheduler/index.ts";
import { serverError } from "../errors.ts";
import { describeSample, diskSpace, runsInFlight, type HealthSampler } from "../health-sampler.ts";

/** The range the samples route returns when none is given. */
const DEFAULT_RANGE_MS = 60 * 60 * 1000;

/**
 * `GET /api/health`: the server, the machine and the engine at a glance; `GET
 * /api/health/samples`: what the server measured over a time range (stored by `sampler`).
 */
export function healthRoutes(
  server: FastifyInstance,
  app: App,
  startedAt: number,
  sampler: HealthSampler,
): void {
  server.get(
    "/health",
    {
      schema: {
        summary: "Server, machine, engine and scheduler status",
        tags: ["health"],
        response: { 200: HealthSchema },
      },
    },
    async (): Promise<Health> => {
      const [{ active, queued }, schedulers, disk] = await Promise.all([
        runsInFlight(app.store),
        schedulerStatus(app.store.schedules, app.clock.now()),
        diskSpace(app.paths.home),
      ]);
      const memory = process.memoryUsage();
      return {
        status: "ok",
        version: TRAWL_VERSION,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        machine: {
          cpus: cpus().length,
          load: loadavg(),
          memory: { total: totalmem(), free: freemem() },
          disk,
        },
        process: { rss: memory.rss, heapUsed: memory.heapUsed, cpu: process.cpuUsage() },
        engine: { activeRuns: active.map((r) => r.id), queuedRuns: queued.map((r) => r.id) },
        governor: app.engine.governor.state(),
        scheduler: { running: schedulers.length > 0, schedulers },
      };
    },
  );

  server.get(
    "/health/samples",
    {
      schema: {
        summary: "Stored health samples of a time range, oldest first (kept at least 24 hours)",
        tags: ["health"],
        querystring: Type.Object({
          from: Type.Optional(
            Type.String({ description: "at or after (ISO 8601); default: an hour before `until`" }),
          ),
          until: Type.Optional(Type.String({ description: "before (ISO 8601); default: now" })),
          role: Type.Optional(Type.String({ description: "the series; default `serve`" })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000, default: 10_000 })),
        }),
        response: { 200: HealthSamplesSchema },
      },
    },
    async (request): Promise<HealthSamples> => {
      const q = request.query as { from?: string; until?: string; role?: string; limit?: number };
      const until = q.until === undefined ? app.clock.now() + 1 : instant("until", q.until);
      const from = q.from === undefined ? until - DEFAULT_RANGE_MS : instant("from", q.from);
      if (from >= until) {
        throw serverError("TRAWL_ERR_HTTP_VALIDATION", `from (${q.from}) must be before until`);
      }
      const samples = await app.store.health.list({
        role: q.role ?? sampler.role,
        from,
        until,
        limit: q.limit ?? 10_000,
      });
      return {
        from,
        until,
        intervalMs: sampler.intervalMs,
        retentionMs: sampler.retentionMs,
        samples: samples.map(describeSample),
      };
    },
  );
}

/** Milliseconds of an ISO 8601 instant of the query, or a 400 naming the parameter. */
function instant(name: string, value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw serverError("TRAWL_ERR_HTTP_VALIDATION", `${name}: not an ISO 8601 instant: ${value}`);
  }
  return ms;
}
