/**
 * How processes sharing a PostgreSQL database tell each other what changed, through LISTEN/NOTIFY:
 * that a run has pending requests (payload: the run's id), so an idle worker wakes at once
 * instead of at its next poll; and that a run was asked to pause, stop or cancel (payload: the
 * run's id and the command), so every worker of the run hears it at once, not only the
 * coordinator's heartbeat. Best effort: listeners poll as well.
 */
import type pg from "pg";
import type { PgQueryable } from "./pg-database.ts";

/** The channel a queue notifies when a run has new pending requests; the payload is the run's id. */
export const PENDING_CHANNEL = "trawl_requests";
/** The channel of control commands: the payload is the run's id, a space and the command. */
export const CONTROL_CHANNEL = "trawl_controls";

/** Tells listening processes that `runId` has pending requests (inside a transaction: at its commit). */
export async function notifyPending(db: PgQueryable, runId: string): Promise<void> {
  // Purpose: wake idle workers of the run. Params: channel, run.
  await db.query(`SELECT pg_notify($1, $2)`, [PENDING_CHANNEL, runId]);
}

/** This process's listeners of one channel, on one connection held while any listens. */
export class PgNotifications {
  private readonly listeners = new Set<(payload: string) => void>();
  private listening: Promise<pg.PoolClient | undefined> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
  ) {}

  /** Calls `listener` with the payload of each notification; returns the function that stops. */
  watch(listener: (payload: string) => void): () => void {
    this.listeners.add(listener);
    this.listening ??= this.listen();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0 || !this.listening) return;
      const listening = this.listening;
      this.listening = undefined;
      void listening.then((client) => client?.release());
    };
  }

  private async listen(): Promise<pg.PoolClient | undefined> {
    try {
      const client = await this.pool.connect();
      client.on("notification", ({ payload }) => {
        for (const listener of this.listeners) listener(payload ?? "");
      });
      await client.query(`LISTEN ${this.channel}`);
      return client;
    } catch {
      return undefined; // Waiters poll.
    }
  }
}
