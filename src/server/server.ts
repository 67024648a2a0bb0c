import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance } from "fastify";
import type { App } from "../app/index.ts";
import { LIVE_RUN_STATUSES } from "../core/contract/values.ts";
import { describeError } from "../core/errors.ts";
import { STREAMED_EVENT_TYPES, type LogLevel, type TrawlEvent } from "../core/events.ts";
import type { Scheduler } from "../scheduler/index.ts";
import { apiErrorOf } from "./api-error.ts";
import { serverError } from "./errors.ts";
import { EventHub } from "./event-hub.ts";
import { HealthSampler } from "./health-sampler.ts";
import { allowedAuthorities, guardRequest } from "./guard.ts";
import { activityRoutes } from "./routes/activity.ts";
import { captureRoutes } from "./routes/captures.ts";
import { compareRoutes } from "./routes/compare.ts";
import { datasetRecordRoutes } from "./routes/dataset-records.ts";
import { datasetRoutes } from "./routes/datasets.ts";
import { eventRoutes } from "./routes/events.ts";
import { healthRoutes } from "./routes/health.ts";
import { recordingExportRoutes } from "./routes/recording-export.ts";
import { runLogRoutes } from "./routes/run-logs.ts";
import { runRecordRoutes } from "./routes/run-records.ts";
import { runRoutes } from "./routes/runs.ts";
import { scheduleRoutes } from "./routes/schedules.ts";
import { scraperRoutes } from "./routes/scrapers.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { DEFAULT_UI_DIR, serveApp } from "./web-app.ts";
import { RunFeed } from "./run-feed.ts";
import { RunWatcher } from "./run-watcher.ts";

/** Where `trawl serve` listens unless told otherwise (DESIGN.md §4). */
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 7878;

export interface ServerOptions {
  app: App;
  /** @defaultValue 127.0.0.1 (loopback only) */
  host?: string;
  /** 0 picks a free port. @defaultValue 7878 */
  port?: number;
  /** Run the scheduler in this process (it fires only while it holds the lease). @defaultValue true */
  scheduler?: boolean;
  /** Comment lines on the event stream this often. @defaultValue 15000 */
  heartbeatMs?: number;
  /** How often runs of other processes are looked at. @defaultValue 500 */
  watchMs?: number;
  /** Folders whose scraper definitions the app lists. @defaultValue the current directory */
  scraperFolders?: string[];
  /** The built web app (index.html and assets); none: the API only. @defaultValue ui/dist of this package */
  uiDir?: string | null;
  /** A client must send its request headers within this. @defaultValue 10000 */
  headersTimeoutMs?: number;
  /** … and the whole request within this. @defaultValue 30000 */
  requestTimeoutMs?: number;
  /** Health samples are taken and stored this often; 0: never. @defaultValue 10000 */
  healthSampleMs?: number;
  /** … and kept this long. @defaultValue 24 hours */
  healthRetentionMs?: number;
  /** The event stream (tests pass one with predictable ids). */
  hub?: EventHub;
  log?(level: LogLevel, message: string): void;
}

/** A listening server. */
export interface TrawlServer {
  /** `http://127.0.0.1:7878` */
  url: string;
  fastify: FastifyInstance;
  hub: EventHub;
  scheduler: Scheduler | undefined;
  /** Takes and stores the health samples (tests call `sample()` with an injected clock). */
  sampler: HealthSampler;
  /** Stops the scheduler and every run of this process (gracefully: resumable), the watcher and the HTTP server. */
  close(): Promise<void>;
}

/** Events that happen per request: far too many for the stream; progress events summarise them. */
const STREAMED = new Set(STREAMED_EVENT_TYPES);

/**
 * Starts the API, the event stream and (when built) the web app on one port. Runs started
 * through it keep going when the browser closes; runs of other processes appear through the
 * watcher; a scheduler runs in-process and fires while it holds the lease.
 */
export async function startServer(options: ServerOptions): Promise<TrawlServer> {
  const { app } = options;
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? (() => undefined);
  const hub = options.hub ?? new EventHub();
  const publish = (event: TrawlEvent) => {
    if (STREAMED.has(event.type)) hub.publish(event);
  };
  const feed = new RunFeed(app, publish, (message) => log("warn", message));
  const unsubscribe = [app.engine.bus.subscribe(publish), app.engine.bus.subscribe(feed.listener())];
  const watcher = new RunWatcher(app, publish, (runId) => feed.touch(runId), options.watchMs);
  const sampler = new HealthSampler({
    store: app.store,
    clock: app.clock,
    owner: app.engine.owner,
    home: app.paths.home,
    publish,
    ...(options.healthSampleMs !== undefined && { intervalMs: options.healthSampleMs }),
    ...(options.healthRetentionMs !== undefined && { retentionMs: options.healthRetentionMs }),
  });

  const fastify = Fastify({
    logger: false,
    // Against slow clients (slowloris): headers within 10 s, the whole request within 30 s.
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 5_000,
    bodyLimit: 1024 * 1024,
    http: {
      headersTimeout: options.headersTimeoutMs ?? 10_000,
      // Node looks for expired requests only this often (30 s by default, which defeats the above).
      connectionsCheckingInterval: Math.min(1000, (options.headersTimeoutMs ?? 10_000) / 2),
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  let authorities: ReturnType<typeof allowedAuthorities> = new Set();
  fastify.addHook("onRequest", async (request) => guardRequest(request, authorities));
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

  await fastify.register(swagger, {
    openapi: {
      info: {
        title: "trawl API",
        version: "0.1.0",
        description: "Runs, schedules and live events of a local trawl.",
      },
    },
  });
  await fastify.register(swaggerUi, { routePrefix: "/api/docs" });

  let scheduler: Scheduler | undefined;
  const stopScheduler = new AbortController();
  await fastify.register(
    async (api) => {
      healthRoutes(api, app, Date.now(), sampler);
      activityRoutes(api, app);
      runRoutes(api, app, (message) => log("error", message));
      runLogRoutes(api, app);
      runRecordRoutes(api, app);
      scheduleRoutes(api, app, () => scheduler?.wake());
      eventRoutes(api, hub, options.heartbeatMs ?? 15_000);
      datasetRoutes(api, app);
      datasetRecordRoutes(api, app);
      recordingExportRoutes(api, app);
      compareRoutes(api, app);
      captureRoutes(api, app);
      scraperRoutes(api, options.scraperFolders ?? [process.cwd()]);
      sessionRoutes(api, app);
      api.get("/openapi.json", { schema: { hide: true } }, async () => fastify.swagger());
    },
    { prefix: "/api" },
  );

  const uiDir = options.uiDir === undefined ? DEFAULT_UI_DIR : options.uiDir;
  if (uiDir && existsSync(join(uiDir, "index.html"))) await serveApp(fastify, uiDir);

  await fastify.listen({ host, port: options.port ?? DEFAULT_PORT });
  const port = (fastify.server.address() as AddressInfo).port;
  authorities = allowedAuthorities(host, port);
  watcher.start();
  sampler.start();

  let schedulerDone: Promise<void> = Promise.resolve();
  if (options.scheduler ?? true) {
    scheduler = app.scheduler({ log, emit: publish });
    schedulerDone = scheduler.run(stopScheduler.signal).catch((error: unknown) => {
      log("error", `scheduler stopped: ${describeError(error)}`);
    });
  }

  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost === "0.0.0.0" ? "127.0.0.1" : urlHost}:${port}`,
    fastify,
    hub,
    scheduler,
    sampler,
    async close() {
      stopScheduler.abort();
      scheduler?.wake();
      // Runs this process executes stop gracefully (in-flight requests finish): resumable later.
      const running = (await app.store.runs.list({ statuses: [...LIVE_RUN_STATUSES] })).filter((run) =>
        app.engine.session(run.id),
      );
      await Promise.all(running.map((run) => app.engine.stop(run.id).catch(() => undefined)));
      await app.settleBackground();
      await schedulerDone;
      watcher.stop();
      await sampler.stop();
      feed.stop();
      for (const stop of unsubscribe) stop();
      // Event streams never end by themselves: close their sockets with the server.
      fastify.server.closeAllConnections();
      await fastify.close();
    },
  };
}
