/** The API under `/api`: every route group, and the OpenAPI description of them all. */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import type { App } from "../app/index.ts";
import type { LogLevel } from "../core/index.ts";
import { TRAWL_VERSION } from "../core/index.ts";
import type { EventHub } from "./event-hub.ts";
import type { HealthSampler } from "./health-sampler.ts";
import type { TrawlMetrics } from "../observe/index.ts";
import { activityRoutes } from "./routes/activity.ts";
import { auditRoutes } from "./routes/audit.ts";
import { captureRoutes } from "./routes/captures.ts";
import { compareRoutes } from "./routes/compare.ts";
import { datasetRecordRoutes } from "./routes/dataset-records.ts";
import { datasetRoutes } from "./routes/datasets.ts";
import { diagnosticsRoutes } from "./routes/diagnostics.ts";
import { eventRoutes } from "./routes/events.ts";
import { healthRoutes } from "./routes/health.ts";
import { processLogRoutes } from "./routes/process-logs.ts";
import { recordingExportRoutes } from "./routes/recording-export.ts";
import { runResourceRoutes } from "./routes/run-resources.ts";
import { runLogRoutes } from "./routes/run-logs.ts";
import { runRecordRoutes } from "./routes/run-records.ts";
import { runRoutes } from "./routes/runs.ts";
import { scheduleRoutes } from "./routes/schedules.ts";
import { scraperRoutes } from "./routes/scrapers.ts";
import { secretRoutes } from "./routes/secrets.ts";
import { securityRoutes } from "./routes/security.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { workerRoutes } from "./routes/workers.ts";

/** What the routes serve from. */
export interface ApiContext {
  app: App;
  hub: EventHub;
  sampler: HealthSampler;
  /** Comment lines on the event stream this often. */
  heartbeatMs: number;
  /** Folders whose scraper definitions the app lists. */
  scraperFolders: string[];
  /** Tells the scheduler of this process, if any, that a schedule changed. */
  wakeScheduler: () => void;
  log(level: LogLevel, message: string): void;
  /** This server's metrics, for the diagnostics bundle; none: a fresh registry over the store. */
  metrics?: TrawlMetrics;
}

/** Registers the API, its OpenAPI description (`/api/openapi.json`) and documentation page (`/api/docs`). */
export async function registerApi(fastify: FastifyInstance, context: ApiContext): Promise<void> {
  const { app, hub, sampler, log } = context;
  await fastify.register(swagger, {
    openapi: {
      info: {
        title: "trawl API",
        version: TRAWL_VERSION,
        description: "Runs, schedules and live events of a local trawl.",
      },
    },
  });
  // Its pages carry their own CSP over the app's: its inline scripts by hash, and inline styles,
  // which Swagger UI sets as it renders (a page of documentation, no data).
  await fastify.register(swaggerUi, {
    routePrefix: "/api/docs",
    staticCSP: true,
    transformStaticCSP: (header) => header.replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'"),
  });
  await fastify.register(
    async (api) => {
      healthRoutes(api, app, Date.now(), sampler);
      activityRoutes(api, app);
      auditRoutes(api, app);
      runRoutes(api, app, context.scraperFolders, (message) => log("error", message));
      runLogRoutes(api, app);
      runResourceRoutes(api, app, sampler);
      processLogRoutes(api, app);
      runRecordRoutes(api, app);
      scheduleRoutes(api, app, context.scraperFolders, context.wakeScheduler);
      eventRoutes(api, hub, context.heartbeatMs);
      datasetRoutes(api, app);
      datasetRecordRoutes(api, app);
      recordingExportRoutes(api, app);
      compareRoutes(api, app);
      captureRoutes(api, app);
      scraperRoutes(api, context.scraperFolders);
      sessionRoutes(api, app);
      workerRoutes(api, app);
      secretRoutes(api, app);
      securityRoutes(api, app);
      diagnosticsRoutes(api, app, context.metrics, (message) => log("error", message));
      api.get("/openapi.json", { schema: { hide: true } }, async () => fastify.swagger());
    },
    { prefix: "/api" },
  );
}
