import type { FastifyInstance } from "fastify";
import { requireRun, type App } from "../../app/index.ts";
import {
  RunResourcesSchema,
  type RunProgressSample,
  type RunResources,
} from "../../core/contract/resources.ts";
import type { RunSampleRecord } from "../../store/index.ts";
import { describeSample, type HealthSampler } from "../health-sampler.ts";
import { RunId } from "./run-id.ts";

/**
 * `GET /api/runs/:id/resources`: the server's stored health samples over a run's time range (CPU,
 * memory, event-loop lag) and the run's own progress samples, for the run page's resource graphs.
 */
export function runResourceRoutes(server: FastifyInstance, app: App, sampler: HealthSampler): void {
  server.get(
    "/runs/:id/resources",
    {
      schema: {
        summary:
          "The server's health samples over a run's time range, and the run's pages/s (samples kept at least 24 hours)",
        tags: ["runs"],
        params: RunId,
        response: { 200: RunResourcesSchema },
      },
    },
    async (request): Promise<RunResources> => {
      const run = await requireRun(app.store, (request.params as { id: string }).id);
      const interval = Math.max(sampler.intervalMs, 1000);
      // One interval either side: a short run still shows the samples around it.
      const from = (run.startedAt ?? run.createdAt) - interval;
      const until = (run.finishedAt ?? app.clock.now()) + interval + 1;
      const [samples, progress] = await Promise.all([
        app.store.health.list({ role: sampler.role, from, until }),
        app.store.health.listRun(run.id, { from, until }),
      ]);
      return {
        runId: run.id,
        from,
        until,
        intervalMs: sampler.intervalMs,
        retentionMs: sampler.retentionMs,
        samples: samples.map(describeSample),
        progress: withPace(progress),
      };
    },
  );
}

/** Each progress sample with the pages per second since the one before. */
function withPace(samples: RunSampleRecord[]): RunProgressSample[] {
  return samples.map((s, i) => {
    const previous = samples[i - 1];
    const seconds = previous ? (s.at - previous.at) / 1000 : 0;
    const pagesPerSecond =
      previous && seconds > 0
        ? Math.round((Math.max(0, s.pages - previous.pages) / seconds) * 100) / 100
        : null;
    return { at: s.at, pages: s.pages, requests: s.requests, pagesPerSecond };
  });
}
