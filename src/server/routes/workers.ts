import type { FastifyInstance } from "fastify";
import { listFleet, type App } from "../../app/index.ts";
import { FleetSchema, type Fleet } from "../../core/contract/workers.ts";

/**
 * `GET /api/workers`: the processes executing runs on this database, on every machine, as each
 * last reported itself (`trawl workers` prints the same). The Workers page polls it.
 */
export function workerRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/workers",
    {
      schema: {
        summary: "The processes executing runs (the fleet), the most recent heartbeat first",
        tags: ["workers"],
        response: { 200: FleetSchema },
      },
    },
    async (): Promise<Fleet> => listFleet(app.store, app.clock.now()),
  );
}
