/**
 * Browser sessions kept per scraper between runs, as the API serves them (GET /api/sessions,
 * DELETE /api/sessions/:scraper), `trawl sessions` prints them and the web app reads them.
 * Imports nothing but TypeBox, so the web app can import it too.
 */
import { Type, type Static } from "typebox";

/** A saved session: what it holds, never a cookie's value. */
export const SessionSummarySchema = Type.Object({
  scraper: Type.String(),
  cookies: Type.Integer(),
  /** Sites the cookies belong to, sorted. */
  domains: Type.Array(Type.String()),
  /** Origins with saved local storage. */
  origins: Type.Integer(),
  /** When the session was last saved. */
  savedAt: Type.String({ format: "date-time" }),
});
export type SessionSummary = Static<typeof SessionSummarySchema>;

/** The saved sessions, by scraper name. */
export const SessionListSchema = Type.Object({ sessions: Type.Array(SessionSummarySchema) });
export type SessionList = Static<typeof SessionListSchema>;

/** A session forgotten: the scraper's next run starts logged out. */
export const SessionClearedSchema = Type.Object({ scraper: Type.String(), cleared: Type.Literal(true) });
export type SessionCleared = Static<typeof SessionClearedSchema>;
