/**
 * How processes sharing a PostgreSQL queue tell each other that a run has pending requests:
 * LISTEN/NOTIFY on one channel, the run's id as payload. An idle worker wakes at once instead of
 * at its next poll; notifications are best effort (a waiter polls as well).
 */
import type pg from "pg";
import type { PgQueryable } from "./pg-database.ts";

/** The channel a queue notifies when a run has new pending requests; the payload is the run's id. */
const CHANNEL = "trawl_requests";

/** Tells listening processes that `runId` has pending requests (inside a transaction: at its commit). */
export async function notifyPending(db: PgQueryable, runId: string): Promise<void> {
  // Purpose: wake idle workers of the run. Params: channel, run.
  await db.query(`SELECT pg_notify($1, $2)`, [CHANNEL, runId]);
}

/** This process's listeners of the channel, on one connection held while any listens. */
export class PendingNotifications {
  private readonly listeners = new Set<(runId: string) => void>();
  private listening: Promise<pg.PoolClient | undefined> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  /** Calls `listener` with the run's id of each notification; returns the function that stops. */
  watch(listener: (runId: string) => void): () => void {
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
      await client.query(`LISTEN ${CHANNEL}`);
      return client;
    } catch {
      return undefined; // Waiters poll.
    }
  }
}
