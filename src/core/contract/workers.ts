/**
 * The fleet as the API serves it (GET /api/workers), `trawl workers --json` prints it and the web
 * app reads it: the processes executing runs, as each last reported itself. Imports nothing but
 * TypeBox.
 */
import { Type, type Static } from "typebox";
import { Instant } from "./shared.ts";

/** One process executing runs (`trawl worker`, or `run`, `resume`, `serve`, `scheduler`). */
export const FleetWorkerSchema = Type.Object({
  /** Its owner id, the one its run claims and leases carry: `host:pid:random`. */
  id: Type.String(),
  host: Type.String(),
  pid: Type.Integer(),
  /** `worker` (`trawl worker`), or the command executing runs: `run`, `resume`, `serve`, … */
  kind: Type.String(),
  startedAt: Instant,
  /** When it last reported (every second while it runs). */
  heartbeatAt: Instant,
  /** Its last report is older than `staleAfterSeconds`: it may have been killed, or be stuck. */
  stale: Type.Boolean(),
  /** The runs it serves now (empty: idle). */
  runs: Type.Array(Type.String()),
  /** Requests it holds leased now, over all its runs (0 where the process does not count them). */
  leases: Type.Integer(),
  /** Pages it finished per second over its last heartbeat interval. */
  pagesPerSecond: Type.Number(),
  /** Requests it may have in flight at once now, over all its runs (for `concurrency: auto`, what the autoscaler found). */
  concurrency: Type.Integer(),
});
export type FleetWorker = Static<typeof FleetWorkerSchema>;

/** GET /api/workers: every process that reported in the last minute, most recent heartbeat first. */
export const FleetSchema = Type.Object({
  workers: Type.Array(FleetWorkerSchema),
  /** A report older than this is marked stale; one older than a minute is forgotten. */
  staleAfterSeconds: Type.Number(),
});
export type Fleet = Static<typeof FleetSchema>;
