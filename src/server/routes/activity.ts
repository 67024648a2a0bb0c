import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { App } from "../../app/index.ts";
import {
  ActivityPageSchema,
  RunErrorPageSchema,
  type ActivityPage,
  type RunErrorPage,
} from "../../core/contract/activity.ts";
import type { ActivityCursor } from "../../store/index.ts";
import { serverError } from "../errors.ts";

/**
 * `GET /api/activity`: what happened (runs started and ended, schedules fired, skipped, paused),
 * read from the stored runs and schedule history, newest first, paged. `GET /api/errors`: runs
 * that failed or have failed requests, newest first. The web app loads both, then refetches the
 * first page when the event stream says something changed.
 */
export function activityRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/activity",
    {
      schema: {
        summary: "The activity feed, newest first; page with `before` (the `next` of the previous page)",
        tags: ["activity"],
        querystring: Type.Object({
          before: Type.Optional(Type.String({ description: "`next` of the previous page" })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: { 200: ActivityPageSchema },
      },
    },
    async (request): Promise<ActivityPage> => {
      const q = request.query as { before?: string; limit?: number };
      const limit = q.limit ?? 50;
      await app.engine.detectInterrupted();
      const entries = await app.store.activity.feed({
        ...(q.before !== undefined && { before: parseCursor(q.before) }),
        limit: limit + 1,
      });
      const page = entries.slice(0, limit);
      return {
        items: page.map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() })),
        next: entries.length > limit ? cursorOf(page.at(-1)!) : null,
      };
    },
  );

  server.get(
    "/errors",
    {
      schema: {
        summary: "Runs that failed or have failed requests, newest first, with their errors by reason",
        tags: ["activity"],
        querystring: Type.Object({
          before: Type.Optional(Type.String({ description: "`next` of the previous page" })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
        }),
        response: { 200: RunErrorPageSchema },
      },
    },
    async (request): Promise<RunErrorPage> => {
      const q = request.query as { before?: string; limit?: number };
      const limit = q.limit ?? 20;
      const runs = await app.store.activity.errors({
        ...(q.before !== undefined && { before: parseCursor(q.before) }),
        limit: limit + 1,
      });
      const page = runs.slice(0, limit);
      return {
        errors: page.map((run) => ({ ...run, at: new Date(run.at).toISOString() })),
        next: runs.length > limit ? cursorOf({ at: page.at(-1)!.at, id: page.at(-1)!.runId }) : null,
      };
    },
  );
}

/** A page's end as `before` takes it: the entry's instant (Unix ms) and id, `1795346181238:run.finished:RUN-…`. */
function cursorOf(entry: ActivityCursor): string {
  return `${entry.at}:${entry.id}`;
}

function parseCursor(value: string): ActivityCursor {
  const match = /^(\d+):(.+)$/.exec(value);
  if (!match) {
    throw serverError(
      "TRAWL_ERR_HTTP_VALIDATION",
      `before: not a page cursor (pass the \`next\` of the previous page): ${value}`,
    );
  }
  return { at: Number(match[1]), id: match[2]! };
}
