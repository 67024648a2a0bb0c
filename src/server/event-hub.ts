import type { TrawlEvent } from "../core/index.ts";

/** An event with its position in the stream. */
export interface NumberedEvent {
  id: number;
  event: TrawlEvent;
}

/**
 * The server's event stream: numbers every event, keeps the most recent ones so that a client
 * reconnecting with `Last-Event-ID` gets exactly what it missed, and fans them out to subscribers.
 */
export class EventHub {
  private readonly recent: NumberedEvent[] = [];
  /** When each event of `recent` was published. */
  private readonly times: number[] = [];
  private readonly subscribers = new Set<(numbered: NumberedEvent) => void>();
  private lastId: number;

  /**
   * @param capacity - Events kept for replay; a client further behind must reload instead.
   * @param startAfter - Ids continue from here. The default (the start time in microseconds)
   *   keeps ids growing across server restarts, so an id from an earlier server is recognised as
   *   too old instead of being mistaken for a recent one.
   * @param maxAgeMs - Events older than this are not kept either: a quiet server holds a few
   *   minutes of events, not the last 10,000 whenever they were (a long-running server's memory
   *   stays flat; a client away longer reloads).
   */
  constructor(
    private readonly capacity = 10_000,
    startAfter = Date.now() * 1000,
    private readonly maxAgeMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.lastId = startAfter;
  }

  publish(event: TrawlEvent): number {
    const numbered = { id: ++this.lastId, event };
    const at = this.now();
    this.recent.push(numbered);
    this.times.push(at);
    let drop = Math.max(0, this.recent.length - this.capacity);
    while (drop < this.times.length && this.times[drop]! < at - this.maxAgeMs) drop++;
    if (drop > 0) {
      this.recent.splice(0, drop);
      this.times.splice(0, drop);
    }
    for (const subscriber of this.subscribers) {
      try {
        subscriber(numbered);
      } catch {
        // One broken connection must not keep the others from their events.
      }
    }
    return numbered.id;
  }

  /** The id of the newest event (`startAfter` before any). */
  get latestId(): number {
    return this.lastId;
  }

  /**
   * Events after `id`, oldest first; `null` when some of them are no longer kept (or `id` is from
   * another server's stream), so the client cannot be brought up to date without a gap.
   */
  since(id: number): NumberedEvent[] | null {
    if (id > this.lastId) return null;
    if (id === this.lastId) return [];
    const oldest = this.recent[0]?.id ?? this.lastId + 1;
    if (id < oldest - 1) return null;
    return this.recent.slice(id - oldest + 1);
  }

  subscribe(subscriber: (numbered: NumberedEvent) => void): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }
}
