/**
 * Captures the network responses of a browser page: documents, XHR and fetch with their bodies;
 * when recording, scripts and style sheets too (a replay in the browser needs them); images and
 * the rest with headers only (enough for a HAR, cheap to keep).
 */
import type { Page, Response } from "playwright-core";
import { redactHeaders } from "../request-headers.ts";
import type { CaptureSink } from "../types.ts";

const WITH_BODY: ReadonlySet<string> = new Set(["document", "xhr", "fetch"]);
const WITH_BODY_WHEN_RECORDING: ReadonlySet<string> = new Set([...WITH_BODY, "script", "stylesheet"]);

/**
 * Starts capturing; `stop` stops and waits until every started capture is stored. Request headers
 * are kept with `secrets` (values filled in from the environment) shown as `***`.
 */
export function captureNetwork(
  page: Page,
  capture: CaptureSink,
  secrets: readonly string[] = [],
): { stop(): Promise<void> } {
  const pending = new Set<Promise<void>>();
  const onResponse = (response: Response) => {
    const task = store(page, response, capture, secrets)
      .catch(() => undefined)
      .finally(() => pending.delete(task));
    pending.add(task);
  };
  page.on("response", onResponse);
  return {
    async stop() {
      page.off("response", onResponse);
      await Promise.all(pending);
    },
  };
}

async function store(
  page: Page,
  response: Response,
  capture: CaptureSink,
  secrets: readonly string[],
): Promise<void> {
  const request = response.request();
  const resourceType = request.resourceType();
  const kept = capture.record ? WITH_BODY_WHEN_RECORDING : WITH_BODY;
  const body = kept.has(resourceType) ? await bodyOf(response) : null;
  const timing = request.timing();
  await capture.add({
    kind: "response",
    at: Math.round(timing.startTime > 0 ? timing.startTime : Date.now()),
    url: response.url(),
    pageUrl: page.url(),
    method: request.method(),
    status: response.status(),
    statusText: response.statusText(),
    headers: await response.allHeaders().catch(() => response.headers()),
    requestHeaders: redactHeaders(await request.allHeaders().catch(() => request.headers()), secrets),
    resourceType,
    body,
    durationMs: Math.max(0, Math.round(timing.responseEnd)),
  });
}

/** The body, or null when the browser has none (a redirect, a closed page, an aborted load). */
async function bodyOf(response: Response): Promise<Buffer | null> {
  if (response.status() >= 300 && response.status() < 400) return null;
  return response.body().catch(() => null);
}
