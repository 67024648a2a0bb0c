import type { App } from "../app/index.ts";
import { openAppMetrics } from "../app/index.ts";
import type { LogLevel, TrawlEvent } from "../core/index.ts";
import { serveMetrics } from "../observe/index.ts";
import { loadAccessToken, sameSecret } from "../security/index.ts";

/** A daemon's own metrics endpoint (see {@link metricsEndpoint}). */
export interface MetricsEndpoint {
  /** Counts an event the engine's bus does not carry (the scheduler's). */
  observe(event: TrawlEvent): void;
  close(): Promise<void>;
}

/**
 * `--metrics-port` of the daemons without the HTTP API (`trawl scheduler`, `trawl worker`): the
 * process's metrics on 127.0.0.1, for the access token (or a named API token). Says the address
 * through `log`.
 */
export async function metricsEndpoint(
  app: App,
  port: number,
  log: (level: LogLevel, message: string) => void,
): Promise<MetricsEndpoint> {
  const { metrics, close } = openAppMetrics(app);
  const token = loadAccessToken(app.paths.accessToken);
  const endpoint = await serveMetrics({
    metrics,
    port,
    authorize: async (bearer) =>
      sameSecret(bearer, token) ||
      (bearer !== undefined && (await app.apiTokens.check(bearer)) !== undefined),
  }).catch((error: unknown) => {
    close();
    throw error;
  });
  log("info", `metrics on ${endpoint.url}/metrics`);
  return {
    observe: (event) => metrics.observe(event),
    async close() {
      await endpoint.close();
      close();
    },
  };
}
