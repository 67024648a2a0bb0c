/**
 * Deterministic pseudo-randomness for the demo site: every page is derived from a seed and the
 * page's own key, so the site needs no stored catalogue and two runs see identical content.
 */

/** A generator of numbers in `[0, 1)`. */
export type Random = () => number;

/** FNV-1a 32-bit hash of a string; cheap and stable across Node versions. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A mulberry32 generator keyed by the site seed and the parts that identify one thing
 * (e.g. `"book", "FIC-00042"`). The same inputs always yield the same sequence.
 */
export function seededRandom(seed: number, ...parts: readonly (string | number)[]): Random {
  let state = hashString(`${seed}:${parts.join(":")}`);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in `[min, max]`, both inclusive. */
export function intBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a non-empty list. Throws on an empty list (a programming error). */
export function pick<T>(random: Random, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new RangeError("pick() needs a non-empty list");
  return item;
}

/** `count` distinct elements of `list`, in list order (count is capped at the list's length). */
export function pickSome<T>(random: Random, list: readonly T[], count: number): T[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, list.length)) chosen.add(Math.floor(random() * list.length));
  return [...chosen].sort((a, b) => a - b).map((i) => list[i] as T);
}
