import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { sessionStillOpen } from "../access.ts";
import type { EventHub, NumberedEvent } from "../event-hub.ts";

/** One server-sent event frame. */
export function frame({ id, event }: NumberedEvent): string {
  return `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * `GET /api/events`: the live event stream (server-sent events). Each frame carries the event's
 * id, its type as the SSE event name and the event as JSON. A client that reconnects with
 * `Last-Event-ID` (the header browsers send by themselves, or `?lastEventId=`) first gets every
 * event it missed; when they are no longer kept it gets a `reset` event and should reload. A
 * comment line every `heartbeatMs` keeps proxies and the connection alive.
 */
export function eventRoutes(server: FastifyInstance, hub: EventHub, heartbeatMs: number): void {
  server.get(
    "/events",
    {
      schema: {
        summary: "The live event stream (text/event-stream)",
        tags: ["events"],
        querystring: Type.Object({ lastEventId: Type.Optional(Type.String()) }),
        headers: Type.Object({ "last-event-id": Type.Optional(Type.String()) }),
        response: {
          200: {
            description:
              "Frames `id: N`, `event: TYPE`, `data: JSON` (a TrawlEvent of src/core/events.ts), a `reset` event when missed events are gone, and `: heartbeat` comments",
            content: { "text/event-stream": { schema: Type.String() } },
          },
        },
      },
    },
    (request, reply) => {
      const query = request.query as { lastEventId?: string };
      const header = request.headers["last-event-id"];
      const resumeFrom = (Array.isArray(header) ? header[0] : header) ?? query.lastEventId;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      // An event stream is idle between events: the server's idle timeout must not cut it.
      request.raw.socket.setTimeout(0);
      // Subscribe first, then replay: nothing published in between is lost or sent twice.
      const pending: NumberedEvent[] = [];
      let replaying = true;
      let lastSent = 0;
      const send = (numbered: NumberedEvent) => {
        if (numbered.id <= lastSent) return;
        lastSent = numbered.id;
        raw.write(frame(numbered));
      };
      const unsubscribe = hub.subscribe((numbered) => (replaying ? pending.push(numbered) : send(numbered)));
      raw.write(`retry: 1000\n\n`);
      if (resumeFrom !== undefined && resumeFrom !== "") {
        const missed = /^\d+$/.test(resumeFrom) ? hub.since(Number(resumeFrom)) : null;
        if (missed === null) {
          raw.write(
            `event: reset\ndata: {"reason":"events after ${resumeFrom.replace(/[\r\n]/g, "")} are no longer kept; reload"}\n\n`,
          );
        } else {
          missed.forEach(send);
        }
      }
      replaying = false;
      pending.forEach(send);
      // Each heartbeat also asks whether the session that opened the stream is still open (it is
      // not activity): once locked, the stream ends and a reconnection gets 401.
      const heartbeat = setInterval(() => {
        void sessionStillOpen(request)
          .catch(() => false)
          .then((open) => (open ? raw.write(`: heartbeat\n\n`) : raw.end()));
      }, heartbeatMs);
      request.raw.on("close", () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    },
  );
}
