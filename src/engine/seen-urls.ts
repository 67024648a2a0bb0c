/**
 * URLs the run's queue is known to hold, kept in memory so that links to them never reach the
 * store: on a shop whose product pages link to ~40 other products, nearly every link found is one
 * the queue has, and each would cost a message to the writer thread and an `INSERT OR IGNORE`.
 *
 * It may forget, never invent: a URL is added only after the transaction that stored it (or found
 * it stored) committed, and requests are never deleted while their run goes on, so a URL it holds
 * is in the queue. A URL it does not hold goes to the store, whose unique index decides, as before.
 * It starts empty in every session (a resumed run fills it as it goes).
 *
 * Its memory is bounded and outside the JavaScript heap: at most `capacity` URLs in two
 * generations (when the newer one is full the older one is dropped, and a URL found in the older
 * one moves to the newer, so the often-linked ones stay), their bytes in typed arrays. A `Set` of
 * 100,000 URL strings made the crawl's heap 8 MB bigger, and V8 lets a heap grow to about four
 * times what it holds before collecting it: peak RSS rose with the size of the crawl.
 */
export class SeenUrls {
  private recent: UrlTable;
  private older: UrlTable | undefined;

  /** @param capacity - URLs kept at most (about 50 bytes each). @defaultValue 100,000 */
  constructor(private readonly capacity = 100_000) {
    this.recent = new UrlTable(Math.max(1, Math.floor(capacity / 2)));
  }

  /** Whether `url` is known to be in the queue. */
  has(url: string): boolean {
    const hash = asciiHash(url);
    if (hash < 0) return false;
    if (this.recent.has(url, hash)) return true;
    if (!this.older?.has(url, hash)) return false;
    this.keep(url, hash);
    return true;
  }

  /**
   * Remembers a URL the queue holds (its transaction committed). URLs with a character beyond
   * ASCII are not kept (serialised URLs have none).
   */
  add(url: string): void {
    const hash = asciiHash(url);
    if (hash >= 0 && !this.recent.has(url, hash)) this.keep(url, hash);
  }

  private keep(url: string, hash: number): void {
    if (this.recent.full()) {
      this.older = this.recent;
      this.recent = new UrlTable(Math.max(1, Math.floor(this.capacity / 2)));
    }
    this.recent.add(url, hash);
  }

  /** URLs held now. */
  get size(): number {
    return this.recent.size + (this.older?.size ?? 0);
  }
}

/** FNV-1a over UTF-16 code units; -1 when a character is not ASCII (a serialised URL is ASCII). */
function asciiHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return -1;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * An open-addressing hash set of up to `limit` ASCII strings: slots hold an entry's index + 1,
 * entries their hash, start and length in a byte arena that doubles when full.
 */
class UrlTable {
  size = 0;
  private readonly slots: Uint32Array;
  private readonly hashes: Uint32Array;
  private readonly starts: Uint32Array;
  private readonly lengths: Uint32Array;
  private bytes = new Uint8Array(4096);
  private used = 0;

  constructor(private readonly limit: number) {
    // A power of two at least twice the entries: probes stay short.
    let slotCount = 16;
    while (slotCount < limit * 2) slotCount *= 2;
    this.slots = new Uint32Array(slotCount);
    this.hashes = new Uint32Array(limit);
    this.starts = new Uint32Array(limit);
    this.lengths = new Uint32Array(limit);
  }

  full(): boolean {
    return this.size >= this.limit;
  }

  has(url: string, hash: number): boolean {
    return this.find(url, hash) >= 0;
  }

  /** Adds a URL it does not hold yet, unless it is full. */
  add(url: string, hash: number): void {
    const slot = this.find(url, hash);
    if (slot >= 0 || this.full()) return;
    const entry = this.size++;
    this.hashes[entry] = hash;
    this.starts[entry] = this.store(url);
    this.lengths[entry] = url.length;
    this.slots[-slot - 1] = entry + 1;
  }

  /** The slot holding `url` (≥ 0), else -(the free slot where it would go) - 1. */
  private find(url: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]! - 1;
      if (entry < 0) return -slot - 1;
      if (this.hashes[entry] === hash && this.equals(entry, url)) return slot;
    }
  }

  private equals(entry: number, url: string): boolean {
    if (this.lengths[entry] !== url.length) return false;
    const start = this.starts[entry]!;
    for (let i = 0; i < url.length; i++) if (this.bytes[start + i] !== url.charCodeAt(i)) return false;
    return true;
  }

  private store(url: string): number {
    if (this.used + url.length > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (this.used + url.length > size) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    const start = this.used;
    for (let i = 0; i < url.length; i++) this.bytes[start + i] = url.charCodeAt(i);
    this.used += url.length;
    return start;
  }
}
