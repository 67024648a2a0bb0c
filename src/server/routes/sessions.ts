import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { App } from "../../app/index.ts";
import {
  SessionClearedSchema,
  SessionListSchema,
  type SessionCleared,
  type SessionList,
} from "../../core/contract/sessions.ts";
import { clearSession, fetchError, listSessions, sessionFileOf } from "../../fetch/index.ts";

/** Browser sessions kept per scraper: listed (never a cookie's value) and cleared. */
export function sessionRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/sessions",
    {
      schema: {
        summary: "Browser sessions kept between runs: cookie counts, sites, storage origins",
        tags: ["scrapers"],
        response: { 200: SessionListSchema },
      },
    },
    async (): Promise<SessionList> => ({
      sessions: await listSessions(app.paths.sessions, app.sessionCipher),
    }),
  );

  server.delete(
    "/sessions/:scraper",
    {
      schema: {
        summary: "Forget a scraper's browser session: its next run starts logged out",
        tags: ["scrapers"],
        params: Type.Object({ scraper: Type.String() }),
        response: { 200: SessionClearedSchema },
      },
    },
    async (request): Promise<SessionCleared> => {
      const { scraper } = request.params as { scraper: string };
      if (!(await clearSession(sessionFileOf(app.paths.sessions, scraper)))) {
        throw fetchError("TRAWL_ERR_FETCH_SESSION_NOT_FOUND", { scraper });
      }
      return { scraper, cleared: true };
    },
  );
}
