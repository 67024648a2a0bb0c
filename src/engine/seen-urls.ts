/**
 * URLs the run's queue is known to hold, kept in memory so that links to them never reach the
 * store: on a shop whose product pages link to ~40 other products, nearly every link found is one
 * the queue has, and each would cost a message to the writer thread and an `INSERT OR IGNORE`.
 *
 * It may forget, never invent: a URL is added only after the transaction that stored it (or found
 * it stored) committed, and requests are never deleted while their run goes on, so a URL it holds
 * is in the queue. A URL it does not hold goes to the store, whose unique index decides, as before.
 * It starts empty in every session (a resumed run fills it as it goes). Its memory is bounded: it
 * keeps at most `capacity` URLs in two generations; when the newer one is full the older one is
 * dropped, and a URL found in the older one moves to the newer (the often-linked ones stay).
 */
export class SeenUrls {
  private recent = new Set<string>();
  private older = new Set<string>();

  /** @param capacity - URLs kept at most (about 100 bytes each). @defaultValue 100,000 */
  constructor(private readonly capacity = 100_000) {}

  /** Whether `url` is known to be in the queue. */
  has(url: string): boolean {
    if (this.recent.has(url)) return true;
    if (!this.older.has(url)) return false;
    this.add(url);
    return true;
  }

  /** Remembers a URL the queue holds (its transaction committed). */
  add(url: string): void {
    if (this.recent.size >= this.capacity / 2) {
      this.older = this.recent;
      this.recent = new Set();
    }
    this.recent.add(url);
  }

  /** URLs held now. */
  get size(): number {
    return this.recent.size + this.older.size;
  }
}
