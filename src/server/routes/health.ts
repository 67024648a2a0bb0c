import { statfs } from "node:fs/promises";
import { loadavg, cpus, totalmem, freemem } from "node:os";
import type { FastifyInstance } from "fastify";
import type { App } from "../../app/index.ts";
import { schedulerStatus } from "../../scheduler/index.ts";

/** `GET /api/health`: the server, the machine and the engine at a glance. */
export function healthRoutes(server: FastifyInstance, app: App, startedAt: number): void {
  server.get(
    "/health",
    { schema: { summary: "Server, machine, engine and scheduler status", tags: ["health"] } },
    async () => {
      const [active, queued, schedulers] = await Promise.all([
        app.store.runs.list({ statuses: ["running", "paused"], limit: 1000 }),
        app.store.runs.list({ statuses: ["queued"], limit: 1000 }),
        schedulerStatus(app.store.schedules, app.clock.now()),
      ]);
      const disk = await statfs(app.paths.home).catch(() => null);
      const memory = process.memoryUsage();
      return {
        status: "ok",
        version: "0.1.0",
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        machine: {
          cpus: cpus().length,
          load: loadavg(),
          memory: { total: totalmem(), free: freemem() },
          disk: disk ? { total: disk.blocks * disk.bsize, free: disk.bavail * disk.bsize } : null,
        },
        process: { rss: memory.rss, heapUsed: memory.heapUsed, cpu: process.cpuUsage() },
        engine: { activeRuns: active.map((r) => r.id), queuedRuns: queued.map((r) => r.id) },
        scheduler: { running: schedulers.length > 0, schedulers },
      };
    },
  );
}
