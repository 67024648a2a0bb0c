import http from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { bearer, serve, until } from "./helpers.ts";

/** A raw event-stream connection that collects everything the server writes. */
/** The server to connect to: its address and access token. */
type Server = { url: string; accessToken: string };

function connect(server: Server, headers: Record<string, string> = {}) {
  return connectPath(server, "/api/events", headers);
}

function connectPath(server: Server, path: string, extra: Record<string, string> = {}) {
  const { url } = server;
  const headers = { ...bearer(server), ...extra };
  let text = "";
  let status = 0;
  let responseHeaders: http.IncomingHttpHeaders = {};
  const req = http.get(`${url}${path}`, { headers }, (res) => {
    status = res.statusCode ?? 0;
    responseHeaders = res.headers;
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => (text += chunk));
  });
  req.on("error", () => undefined);
  return {
    text: () => text,
    status: () => status,
    headers: () => responseHeaders,
    close: () => req.destroy(),
    waitFor: (pattern: string | RegExp) =>
      until(
        () => (typeof pattern === "string" ? text.includes(pattern) : pattern.test(text)),
        `${pattern} on the stream`,
      ),
  };
}

const queued = (n: number) => ({
  type: "run.queued" as const,
  runId: `RUN-20260101-00000${n}`,
  scraper: "s",
});

describe("the event stream", () => {
  it("sends each event as an exact frame: id, event name, JSON data", async () => {
    const f = await serve();
    const stream = connect(f.server);
    await stream.waitFor("retry: 1000\n\n");
    expect(stream.status()).toBe(200);
    expect(stream.headers()["content-type"]).toBe("text/event-stream; charset=utf-8");
    f.server.hub.publish(queued(1));
    f.server.hub.publish({ type: "run.started", runId: "RUN-20260101-000001", resumed: false });
    await stream.waitFor("event: run.started");
    expect(stream.text()).toBe(
      "retry: 1000\n\n" +
        'id: 1\nevent: run.queued\ndata: {"type":"run.queued","runId":"RUN-20260101-000001","scraper":"s"}\n\n' +
        'id: 2\nevent: run.started\ndata: {"type":"run.started","runId":"RUN-20260101-000001","resumed":false}\n\n',
    );
    stream.close();
  });

  it("resumes after Last-Event-ID without a gap or a repeat, and says reset when it cannot", async () => {
    const f = await serve();
    for (let n = 1; n <= 4; n++) f.server.hub.publish(queued(n));
    const resumed = connect(f.server, { "last-event-id": "2" });
    await resumed.waitFor("id: 4\n");
    f.server.hub.publish(queued(5));
    await resumed.waitFor("id: 5\n");
    expect(resumed.text().match(/^id: \d+$/gm)).toEqual(["id: 3", "id: 4", "id: 5"]);
    resumed.close();

    for (let n = 0; n < 1000; n++) f.server.hub.publish(queued(6)); // the hub keeps 1000
    const tooOld = connect(f.server, { "last-event-id": "3" });
    await tooOld.waitFor("event: reset\n");
    expect(tooOld.text()).toMatch(
      /event: reset\ndata: \{"reason":"events after 3 are no longer kept; reload"\}\n\n/,
    );
    tooOld.close();
    // EventSource cannot set headers on a first connection; the query parameter does the same.
    const last = f.server.hub.latestId;
    f.server.hub.publish(queued(7));
    const byQuery = connectPath(f.server, `/api/events?lastEventId=${last}`);
    await byQuery.waitFor(`id: ${last + 1}\n`);
    byQuery.close();
  });

  it("sends heartbeats while nothing happens", async () => {
    const f = await serve({ heartbeatMs: 50 });
    const stream = connect(f.server);
    await stream.waitFor(": heartbeat\n\n: heartbeat\n\n");
    stream.close();
  });

  it("carries a run's events, and those of a run in another process through the watcher", async () => {
    const f = await serve({ watchMs: 100 });
    const stream = connect(f.server);
    await stream.waitFor("retry");
    const id = (await f.api("POST", "/api/runs", { file: f.scraperFile })).json.id as string;
    await stream.waitFor(
      `event: run.finished\ndata: {"type":"run.finished","runId":"${id}","status":"succeeded"}`,
    );
    expect(stream.text()).toContain("event: progress.updated");
    expect(stream.text()).toContain("event: step.started");
    expect(stream.text()).not.toContain("event: request.finished");
    // The whole summary follows, read at once: the same as the stored run's.
    const stored = (await f.api("GET", `/api/runs/${id}`)).json;
    await stream.waitFor(`"summary":{"id":"${id}","status":"succeeded"`);
    expect(lastSummary(stream.text(), id)).toEqual(stored);
    // The watcher looks at the ended run for a while, but its lines already went out: once each.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const succeededLines = (text: string, runId: string) =>
      text
        .split("\n")
        .filter((line) =>
          line.startsWith(
            `data: {"type":"log.written","runId":"${runId}","level":"info","message":"succeeded"`,
          ),
        );
    expect(succeededLines(stream.text(), id)).toHaveLength(1);

    // Another process on the same data directory: its events never reach this server's bus, but
    // its summary and log lines come through the watcher.
    const other = await App.open({ home: join(f.dir, "home") });
    try {
      const run = await other.engine.run(await loadScraper(f.scraperFile));
      await stream.waitFor(`"summary":{"id":"${run.id}","status":"succeeded"`);
      await stream.waitFor(
        new RegExp(
          `event: log.written\\ndata: \\{"type":"log.written","runId":"${run.id}","level":"info","message":"succeeded"`,
        ),
      );
      const summary = lastSummary(stream.text(), run.id);
      expect(succeededLines(stream.text(), run.id)).toHaveLength(1);
      expect(summary).toEqual((await f.api("GET", `/api/runs/${run.id}`)).json);
      expect(summary.controls).toEqual([]);
    } finally {
      await other.close();
    }
    stream.close();
  });
});

/** The summary of the last `run.updated` event of `runId` in a stream's text. */
function lastSummary(text: string, runId: string): Record<string, unknown> {
  const frames = text
    .split("\n")
    .filter((line) => line.startsWith(`data: {"type":"run.updated","runId":"${runId}"`));
  return (JSON.parse(frames.at(-1)!.slice("data: ".length)) as { summary: Record<string, unknown> }).summary;
}
