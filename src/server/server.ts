import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { openAppMetrics, type App } from "../app/index.ts";
import { LIVE_RUN_STATUSES } from "../core/contract/values.ts";
import { describeError, STREAMED_EVENT_TYPES, type LogLevel, type TrawlEvent } from "../core/index.ts";
import type { Scheduler } from "../scheduler/index.ts";
import { EventHub } from "./event-hub.ts";
import { HealthSampler } from "./health-sampler.ts";
import { FleetWatcher } from "./fleet-watcher.ts";
import { serverError } from "./errors.ts";
import { allowedAuthorities, isLoopback } from "./guard.ts";
import { createHttpServer } from "./http-server.ts";
import { registerApi } from "./api.ts";
import { useSecurityHeaders } from "./security-headers.ts";
import { requireAccessToken } from "./access.ts";
import { loadAccessToken } from "../security/index.ts";
import { DEFAULT_UI_DIR, serveApp } from "./web-app.ts";
import { RunFeed } from "./run-feed.ts";
import { RunWatcher } from "./run-watcher.ts";
import { metricsRoutes } from "./routes/metrics.ts";

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
  /** The app's link: its address with the access token (`/?token=…`); opening it signs the browser in. */
  link: string;
  /** The installation's access token: scripts send it as `Authorization: Bearer <token>`. */
  accessToken: string;
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
 * Where the event stream's events come from: this process's engine (its events, and each run's
 * summary through the feed), the watcher of runs other processes execute, the health sampler, the
 * fleet watcher.
 */
function eventSources(
  options: ServerOptions,
  hub: EventHub,
  log: (level: LogLevel, message: string) => void,
) {
  const { app } = options;
  const publish = (event: TrawlEvent) => {
    if (STREAMED.has(event.type)) hub.publish(event);
  };
  const feed = new RunFeed(app, publish, (message) => log("warn", message));
  const { metrics, close: closeMetrics } = openAppMetrics(app);
  const unsubscribe = [
    app.engine.bus.subscribe(publish),
    app.engine.bus.subscribe(feed.listener()),
    closeMetrics,
  ];
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
  // Other machines' workers report to the database: the fleet is read there, every second.
  const fleet = new FleetWatcher(app, publish, log);
  fleet.start();
  unsubscribe.push(() => fleet.stop());
  // The scheduler's events are not on the engine's bus: the metrics count them here.
  const publishScheduled = (event: TrawlEvent) => {
    metrics.observe(event);
    publish(event);
  };
  return { publish, publishScheduled, feed, unsubscribe, watcher, sampler, metrics };
}

/**
 * Beyond loopback, anyone who reaches the port can try: only a PIN (with its attempt limits) may
 * stand there, not the access token alone; and the traffic is plain HTTP, so a TLS proxy belongs
 * in front.
 */
async function refuseExposureWithoutPin(
  app: App,
  host: string,
  log: (level: LogLevel, message: string) => void,
): Promise<void> {
  if (isLoopback(host)) return;
  if (!(await app.lock.status()).pinSet) throw serverError("TRAWL_ERR_HTTP_EXPOSED", { host });
  log("warn", `listening on ${host}, beyond this machine, over plain HTTP: put a TLS proxy in front`);
}

/**
 * Starts the API, the event stream and (when built) the web app on one port. Runs started
 * through it keep going when the browser closes; runs of other processes appear through the
 * watcher; a scheduler runs in-process and fires while it holds the lease.
 */
export async function startServer(options: ServerOptions): Promise<TrawlServer> {
  const { app } = options;
  // What the API does is recorded in the audit log as the api's doing.
  app.actor = "api";
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? (() => undefined);
  await refuseExposureWithoutPin(app, host, log);
  // PIN on start: no session outlives the server that opened it.
  await app.lock.serverStarting();
  const hub = options.hub ?? new EventHub();
  const { publishScheduled, feed, unsubscribe, watcher, sampler, metrics } = eventSources(options, hub, log);

  let authorities: ReturnType<typeof allowedAuthorities> = new Set();
  const fastify = createHttpServer(options, log, () => authorities);
  let scheduler: Scheduler | undefined;
  const stopScheduler = new AbortController();
  await useSecurityHeaders(fastify);
  const accessToken = loadAccessToken(app.paths.accessToken);
  await requireAccessToken(fastify, accessToken, app);
  await registerApi(fastify, {
    app,
    hub,
    sampler,
    log,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    scraperFolders: options.scraperFolders ?? [process.cwd()],
    wakeScheduler: () => scheduler?.wake(),
    metrics,
  });

  metricsRoutes(fastify, metrics);

  const uiDir = options.uiDir === undefined ? DEFAULT_UI_DIR : options.uiDir;
  if (uiDir && existsSync(join(uiDir, "index.html"))) await serveApp(fastify, uiDir);

  await fastify.listen({ host, port: options.port ?? DEFAULT_PORT });
  const port = (fastify.server.address() as AddressInfo).port;
  authorities = allowedAuthorities(host, port);
  watcher.start();
  sampler.start();

  let schedulerDone: Promise<void> = Promise.resolve();
  if (options.scheduler ?? true) {
    scheduler = app.scheduler({ log, emit: publishScheduled });
    schedulerDone = scheduler.run(stopScheduler.signal).catch((error: unknown) => {
      log("error", `scheduler stopped: ${describeError(error)}`);
    });
  }

  const urlHost = host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost === "0.0.0.0" ? "127.0.0.1" : urlHost}:${port}`;
  return {
    url,
    link: `${url}/?token=${accessToken}`,
    accessToken,
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
      await Promise.all(running.map((run) => app.engine.stop(run.id, "system").catch(() => undefined)));
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
